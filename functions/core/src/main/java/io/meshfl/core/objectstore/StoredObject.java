package io.meshfl.core.objectstore;

/**
 * What the object store knows about one object. The ETag identifies a version of the content: S3 delivers
 * events at least once, and (key, ETag) is what makes their processing idempotent.
 */
public record StoredObject(String key, long size, String etag) {

    public StoredObject {
        etag = etag == null ? null : unquote(etag);
    }

    /** S3 returns ETags in quotes in headers and without them in event notifications; keep one form. */
    private static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }
}
