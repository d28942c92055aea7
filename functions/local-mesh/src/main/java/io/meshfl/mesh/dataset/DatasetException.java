package io.meshfl.mesh.dataset;

/** A dataset the user gave (or asked for) cannot be used; the message names what was wrong. */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
