package io.meshfl.mesh.events;

import java.time.Instant;

/**
 * An object the local S3 server has just stored. {@code eventName} is the S3 notification's name for how it
 * was created: {@code ObjectCreated:Put}, {@code ObjectCreated:Copy} or {@code ObjectCreated:CompleteMultipartUpload}.
 */
public record ObjectCreated(String bucket, String key, String etag, long size, String eventName, Instant time) {
}
