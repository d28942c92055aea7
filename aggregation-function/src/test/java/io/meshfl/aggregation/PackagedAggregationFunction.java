package io.meshfl.aggregation;

import io.meshfl.launcher.ChildJvm;
import io.meshfl.launcher.LoopbackPorts;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged aggregation function ({@code target/quarkus-app/quarkus-run.jar}, HTTP binding) as a child JVM on a
 * free loopback port, pointed at an S3 server and a registry: the function as it runs in JVM mode, for the
 * latency benchmark. Stopped by {@link #close} or when this JVM exits.
 */
final class PackagedAggregationFunction implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final URI baseUrl;

    private PackagedAggregationFunction(Process process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static PackagedAggregationFunction start(Path jar, S3ProxyServer.Endpoint s3, String bucket, RegistryProcess registry,
            Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged function at " + jar + ": package aggregation-function first");
        }
        try {
            int port = LoopbackPorts.free();
            Process process = new ProcessBuilder(List.of(
                    ChildJvm.javaExecutable(),
                    "-Xmx512m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.log.console.color=false",
                    "-Dmeshfl.object-store.endpoint=" + s3.uri(),
                    "-Dmeshfl.object-store.bucket=" + bucket,
                    "-Dmeshfl.object-store.region=" + s3.region(),
                    "-Dmeshfl.object-store.path-style=true",
                    "-Dmeshfl.object-store.access-key=" + s3.accessKey(),
                    "-Dmeshfl.object-store.secret-key=" + s3.secretKey(),
                    "-Dmeshfl.registry.url=" + registry.baseUrl(),
                    "-Dmeshfl.registry.token=" + registry.issuer().function(),
                    // Its callers' tokens come from the same issuer (the HTTP binding checks them).
                    "-Dmp.jwt.verify.publickey.location=" + registry.issuer().publicKeyPem().toAbsolutePath(),
                    "-Dmp.jwt.verify.issuer=" + registry.issuer().issuer(),
                    "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "aggregation-function-stop"));
            URI baseUrl = URI.create("http://127.0.0.1:" + port);
            try {
                ChildJvm.awaitReady(process, baseUrl.resolve("/q/health/ready"), STARTUP_TIMEOUT, log,
                        "aggregation function");
            } catch (IllegalStateException e) {
                process.destroy();
                throw e;
            }
            return new PackagedAggregationFunction(process, baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the packaged function " + jar, e);
        }
    }

    URI baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
