package io.meshfl.core.objectstore;

/** Thrown when a key names no object: a caller's mistake or a race with a delete, never a broken store. */
public class NoSuchObjectException extends RuntimeException {

    private final String key;

    public NoSuchObjectException(String bucket, String key) {
        super("No object '" + key + "' in bucket '" + bucket + "'");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
