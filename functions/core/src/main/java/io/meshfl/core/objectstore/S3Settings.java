package io.meshfl.core.objectstore;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach an S3 bucket. Endpoint and static keys are for S3-compatible servers (S3Proxy, MinIO); on AWS
 * leave them empty and the SDK's default credential chain (the Lambda role) applies.
 */
public record S3Settings(
        String bucket,
        String region,
        Optional<URI> endpoint,
        boolean pathStyle,
        Optional<String> accessKey,
        Optional<String> secretKey) {

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("An object store needs a bucket name (meshfl.object-store.bucket)");
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("Set both access key and secret key, or neither");
        }
    }
}
