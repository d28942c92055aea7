package io.meshfl.runtime.objectstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** The federation's object store, as a function sees it. */
@ConfigMapping(prefix = "meshfl.object-store")
public interface ObjectStoreConfig {

    /** Bucket holding models, rounds and updates. */
    String bucket();

    /** AWS region of the bucket (S3-compatible servers accept any). */
    @WithDefault("us-east-1")
    String region();

    /** Endpoint of an S3-compatible server (S3Proxy, MinIO); empty on AWS. */
    Optional<URI> endpoint();

    /** Path-style addressing ({@code http://host/bucket/key}), which S3-compatible servers need. */
    @WithDefault("false")
    boolean pathStyle();

    /** Static access key for S3-compatible servers; on AWS leave empty and the function's role applies. */
    Optional<String> accessKey();

    /** Static secret key, set together with the access key. */
    Optional<String> secretKey();
}
