package io.meshfl.mesh.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running mesh can be reached: its services listen on ports picked at start, so the demo writes them to
 * {@code DATA_DIR/running.properties} once the federation is set up and removes the file when it stops. The process
 * id tells a file left behind by a killed mesh from a live one. {@code ./meshfl domain-credentials} reads it.
 */
public record RunningMesh(URI registry, URI objectStore, String region, String bucket, String model, long pid) {

    static final String FILE = "running.properties";

    public static Path file(MeshLayout layout) {
        return layout.root().resolve(FILE);
    }

    /** The mesh this process runs, now. */
    public static RunningMesh here(URI registry, URI objectStore, String region, String bucket, String model) {
        return new RunningMesh(registry, objectStore, region, bucket, model, ProcessHandle.current().pid());
    }

    /** The mesh running on this data directory, if its file is there and the process that wrote it is alive. */
    public static Optional<RunningMesh> read(MeshLayout layout) {
        Path file = file(layout);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            RunningMesh mesh = new RunningMesh(URI.create(properties.getProperty("registry")),
                    URI.create(properties.getProperty("s3.endpoint")), properties.getProperty("s3.region"),
                    properties.getProperty("s3.bucket"), properties.getProperty("model"),
                    Long.parseLong(properties.getProperty("pid")));
            return mesh.alive() ? Optional.of(mesh) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + ")", e);
        }
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public void write(MeshLayout layout) {
        Properties properties = new Properties();
        properties.setProperty("registry", registry.toString());
        properties.setProperty("s3.endpoint", objectStore.toString());
        properties.setProperty("s3.region", region);
        properties.setProperty("s3.bucket", bucket);
        properties.setProperty("model", model);
        properties.setProperty("pid", Long.toString(pid));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "MeshFL local mesh: the running mesh's endpoints (no secrets); removed when it stops");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot format " + file(layout), e);
        }
        PrivateFiles.write(file(layout), text.toString());
    }

    /** Removes the file if this process wrote it (a mesh that took over the directory keeps its own). */
    public static void remove(MeshLayout layout) {
        try {
            Optional<RunningMesh> running = read(layout);
            if (running.isEmpty() || running.get().pid() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file(layout));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("meshfl: could not remove " + file(layout) + ": " + e.getMessage());
        }
    }
}
