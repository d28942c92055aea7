package io.meshfl.mesh.process;

import io.meshfl.launcher.ChildJvm;
import io.meshfl.launcher.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One function running as a child JVM on a free loopback port, with its output in a log file. Started and
 * considered up once {@code /q/health/ready} answers 200 (SmallRye Health: datasource and object store
 * included), stopped with SIGTERM (Quarkus shuts down gracefully) and killed if that takes too long.
 */
public final class FunctionProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final FunctionSpec spec;
    private final Process process;
    private final URI uri;
    private final Path log;

    private FunctionProcess(FunctionSpec spec, Process process, URI uri, Path log) {
        this.spec = spec;
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Variables a function reads as configuration (Quarkus, MicroProfile, MeshFL, Knative's sink, DJL). */
    private static final List<String> CONFIGURATION_PREFIXES =
            List.of("MESHFL_", "QUARKUS_", "MP_", "SMALLRYE_", "K_SINK", "DJL_", "ENGINE_CACHE_DIR");

    public static FunctionProcess start(FunctionSpec spec, Path logsDir, Duration readyTimeout) {
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException("The " + spec.name() + " is not built: " + spec.jar()
                    + " is missing (run ./meshfl, which builds it, or mvn package -DskipTests)");
        }
        try {
            Files.createDirectories(logsDir);
            int port = spec.port() > 0 ? spec.port() : LoopbackPorts.free();
            Path log = logsDir.resolve(spec.name() + ".log");
            List<String> command = new ArrayList<>();
            command.add(ChildJvm.javaExecutable());
            command.addAll(spec.jvmOptions());
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dquarkus.http.port=" + port);
            spec.systemProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(spec.jar().toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(spec.jar().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Configuration comes from the spec alone: a MESHFL_* or QUARKUS_* left in the caller's shell would
            // stand in for a variable the deployment forgot.
            builder.environment().keySet().removeIf(FunctionProcess::isConfiguration);
            builder.environment().putAll(spec.environment());
            Process process = builder.start();
            FunctionProcess function = new FunctionProcess(spec, process, URI.create("http://127.0.0.1:" + port), log);
            try {
                ChildJvm.awaitReady(process, function.uri.resolve("/q/health/ready"), readyTimeout, log, spec.name());
            } catch (RuntimeException e) {
                function.close();
                throw e;
            }
            return function;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the " + spec.name(), e);
        }
    }

    static boolean isConfiguration(String variable) {
        return CONFIGURATION_PREFIXES.stream().anyMatch(variable::startsWith);
    }

    public String name() {
        return spec.name();
    }

    /** Where the function listens, e.g. {@code http://127.0.0.1:40123}. */
    public URI uri() {
        return uri;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ChildJvm.stop(process, STOP_GRACE);
    }
}
