package io.meshfl.mesh.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
                function.awaitReady(readyTimeout);
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

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).GET().build();
        Instant deadline = Instant.now().plus(timeout);
        String lastAnswer = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The " + spec.name() + " exited with status " + process.exitValue()
                        + " while starting; the end of its log " + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException notListeningYet) {
                lastAnswer = notListeningYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the " + spec.name(), e);
            }
            sleep(200);
        }
        throw new IllegalStateException("The " + spec.name() + " was not ready on " + uri + " within " + timeout
                + " (last answer: " + lastAnswer + "); the end of its log " + log + ":\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
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
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
