package io.meshfl.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a MeshFL function's object store ({@code meshfl.object-store.*}) at the shared S3Proxy server, with a
 * bucket created for the test. The bucket name comes from the {@code bucket} init argument (default
 * {@code meshfl-test}).
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_BUCKET = "meshfl-test";
    private String bucket = DEFAULT_BUCKET;

    @Override
    public void init(Map<String, String> initArgs) {
        bucket = initArgs.getOrDefault("bucket", DEFAULT_BUCKET);
    }

    @Override
    public Map<String, String> start() {
        S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
        s3.ensureBucket(bucket);
        return Map.of(
                "meshfl.object-store.endpoint", s3.uri().toString(),
                "meshfl.object-store.bucket", bucket,
                "meshfl.object-store.region", s3.region(),
                "meshfl.object-store.path-style", "true",
                "meshfl.object-store.access-key", s3.accessKey(),
                "meshfl.object-store.secret-key", s3.secretKey());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; stopped by a shutdown hook.
    }
}
