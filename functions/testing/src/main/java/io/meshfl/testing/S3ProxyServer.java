package io.meshfl.testing;

import io.meshfl.launcher.ChildJvm;
import io.meshfl.launcher.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-compatible server (S3Proxy, NIO.2 filesystem blob store) on loopback, started once per JVM as a child
 * process from S3Proxy's standalone jar and stopped when the JVM exits.
 *
 * <p>A child process rather than an embedded server: S3Proxy brings Jackson 3, Jetty and several cloud SDKs,
 * which have no business on a Quarkus application's test classpath.
 */
public final class S3ProxyServer {

    public static final String ACCESS_KEY = "meshfl-test-access";
    public static final String SECRET_KEY = "meshfl-test-secret";
    public static final String REGION = "us-east-1";

    /** Connection facts for the shared server. */
    public record Endpoint(URI uri, String accessKey, String secretKey, String region) {

        /** An AWS SDK v2 client for this server: path-style addressing, static credentials. */
        public S3Client client() {
            return S3Client.builder()
                    .endpointOverride(uri)
                    .region(Region.of(region))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }

        /** Creates the bucket if it does not exist yet. */
        public void ensureBucket(String bucket) {
            try (S3Client s3 = client()) {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // Several test classes share one server and one bucket name.
            }
        }
    }

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static Endpoint shared;

    private S3ProxyServer() {
    }

    public static synchronized Endpoint shared() {
        if (shared == null) {
            shared = start(TestWorkDir.resolve("s3proxy"));
        }
        return shared;
    }

    private static Endpoint start(Path workDir) {
        try {
            int port = LoopbackPorts.free();
            Path blobs = Files.createDirectories(workDir.resolve("blobs-" + port));
            Path config = workDir.resolve("s3proxy-" + port + ".conf");
            Properties properties = new Properties();
            properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            properties.setProperty("s3proxy.identity", ACCESS_KEY);
            properties.setProperty("s3proxy.credential", SECRET_KEY);
            // The NIO.2 filesystem store, as the local mesh uses: it evaluates If-None-Match as it writes (conditional
            // puts are atomic), where S3Proxy answers 501 for the legacy "filesystem" store.
            properties.setProperty("jclouds.provider", "filesystem-nio2");
            properties.setProperty("jclouds.filesystem.basedir", blobs.toString());
            try (var out = Files.newOutputStream(config)) {
                properties.store(out, "S3Proxy for MeshFL tests");
            }
            Path log = workDir.resolve("s3proxy-" + port + ".log");
            String java = ChildJvm.javaExecutable();
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", s3proxyJar().toString(),
                    "--properties", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "s3proxy-stop"));
            URI uri = URI.create("http://127.0.0.1:" + port);
            awaitListening(uri, process, log);
            return new Endpoint(uri, ACCESS_KEY, SECRET_KEY, REGION);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start S3Proxy under " + workDir, e);
        }
    }

    private static Path s3proxyJar() throws IOException {
        Properties built = new Properties();
        try (InputStream in = S3ProxyServer.class.getResourceAsStream("/meshfl-testing.properties")) {
            if (in == null) {
                throw new IllegalStateException("meshfl-testing.properties is missing: build functions/testing with Maven");
            }
            built.load(in);
        }
        Path jar = Path.of(built.getProperty("s3proxy.jar", ""));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at '" + jar
                    + "': rebuild functions/testing so Maven fetches org.gaul:s3proxy:jar-with-dependencies");
        }
        return jar;
    }

    private static void awaitListening(URI uri, Process process, Path log) {
        try {
            ChildJvm.awaitAnswer(process, uri, STARTUP_TIMEOUT, log, "S3Proxy server", status -> true);
        } catch (IllegalStateException e) {
            process.destroy();
            throw e;
        }
    }
}
