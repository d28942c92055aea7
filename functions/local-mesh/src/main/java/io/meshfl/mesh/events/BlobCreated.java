package io.meshfl.mesh.events;

import io.meshfl.core.event.ObjectCreated;
import java.time.Instant;

/**
 * An object the local S3 server has just stored. {@code eventName} is the S3 notification's name for how it
 * was created: {@code ObjectCreated:Put}, {@code ObjectCreated:Copy} or {@code ObjectCreated:CompleteMultipartUpload}.
 */
public record BlobCreated(String bucket, String key, String etag, long size, String eventName, Instant time) {

    /** The object as an event reports it. */
    public ObjectCreated object() {
        return new ObjectCreated(bucket, key, etag, size);
    }
}
