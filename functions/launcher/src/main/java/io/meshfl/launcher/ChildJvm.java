package io.meshfl.launcher;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The life of a server started as a child process: the JVM to start it with, the wait until it answers, the stop
 * (SIGTERM, so Quarkus shuts down gracefully, then a kill if that takes too long). Each launcher builds its own
 * command line; this is what they all do around it.
 */
public final class ChildJvm {

    private static final long PROBE_INTERVAL_MILLIS = 200;

    private ChildJvm() {
    }

    /** The {@code java} executable of the running JVM, so a child runs on the same Java as its parent. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits until {@code probe} answers 200 (a Quarkus application's {@code /q/health/ready}: datasource and object
     * store included).
     *
     * @param name what the child is, for messages ("registry function")
     * @throws Exited if the child exits first
     * @throws IllegalStateException if it is not ready within {@code timeout}, with its last answer and the end of
     *     its log
     */
    public static void awaitReady(Process process, URI probe, Duration timeout, Path log, String name) {
        awaitAnswer(process, probe, timeout, log, name, status -> status == 200);
    }

    /**
     * Waits until {@code probe} answers with a status {@code ready} accepts (any status: the server listens).
     *
     * @throws Exited if the child exits first
     * @throws IllegalStateException if it is not ready within {@code timeout}
     */
    public static void awaitAnswer(Process process, URI probe, Duration timeout, Path log, String name,
                                   IntPredicate ready) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).GET().build();
        Instant deadline = Instant.now().plus(timeout);
        String lastAnswer = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new Exited(name, process.exitValue(), log);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (ready.test(response.statusCode())) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException notListeningYet) {
                lastAnswer = notListeningYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the " + name, e);
            }
            sleep(PROBE_INTERVAL_MILLIS, name);
        }
        throw new IllegalStateException("The " + name + " was not ready on " + probe + " within " + timeout
                + " (last answer: " + lastAnswer + "); the end of its log " + log + ":\n" + tail(log));
    }

    /** Stops {@code process} with SIGTERM and waits up to {@code grace}; kills it if it is still running then. */
    public static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The last 30 lines of {@code log}, or why it cannot be read. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis, String name) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the " + name, e);
        }
    }

    /** The child exited before it was ready; the message ends with the end of its log. */
    public static final class Exited extends IllegalStateException {

        private final transient Path log;

        Exited(String name, int status, Path log) {
            super("The " + name + " exited with status " + status + " while starting; the end of its log " + log
                    + ":\n" + tail(log));
            this.log = log;
        }

        /** The child's whole log, e.g. to tell a port taken by another process from any other failure. */
        public String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(log unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
