package io.meshfl.core.event;

/**
 * One object written to a bucket, as an object-store event reports it: the key already decoded to the name the
 * object store uses, the ETag without quotes. Events are delivered at least once; (key, ETag) identifies what was
 * written, so processing the same notice twice must change nothing.
 */
public record ObjectCreated(String bucket, String key, String etag, long size) {

    public ObjectCreated {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("An object-created event needs an object key");
        }
        etag = etag == null ? null : unquote(etag);
    }

    /** Notifications send ETags bare, S3 headers quote them; keep one form so (key, ETag) compares equal. */
    private static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }
}
