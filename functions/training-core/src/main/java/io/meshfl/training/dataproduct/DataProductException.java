package io.meshfl.training.dataproduct;

/** A data product that cannot train the model: missing columns, bad values, unseen classes, no rows. */
public class DataProductException extends RuntimeException {

    public DataProductException(String message) {
        super(message);
    }

    public DataProductException(String message, Throwable cause) {
        super(message, cause);
    }
}
