package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one way the step protocol writes: {@code If-None-Match: *} ({@link ObjectStore#putIfAbsent}). Every object of a
 * vertical round is written at most once, so of two invocations racing to write it exactly one counts, and a
 * redelivered event finds the object and changes nothing.
 */
final class WriteOnce {

    private WriteOnce() {
    }

    /** True if this call stored {@code content}; false if an object was already under {@code key}. */
    static boolean put(ObjectStore store, String key, byte[] content) {
        Path file = null;
        try {
            file = Files.createTempFile("meshfl-vertical-", ".bin");
            Files.write(file, content);
            return store.putIfAbsent(key, file, Map.of()).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage '" + key + "' in a temporary file", e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Stores an already written file under {@code key} if nothing is there; deletes the file either way. */
    static boolean put(ObjectStore store, String key, Path file) {
        try {
            return store.putIfAbsent(key, file, Map.of()).isPresent();
        } finally {
            deleteQuietly(file);
        }
    }

    static Path download(ObjectStore store, String key) {
        try {
            Path file = Files.createTempFile("meshfl-vertical-", ".safetensors");
            store.download(key, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not download '" + key + "' to a temporary file", e);
        }
    }

    static Path tempFile() {
        try {
            return Files.createTempFile("meshfl-vertical-", ".safetensors");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary file", e);
        }
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temporary file is harmless; the step's outcome does not depend on it.
            }
        }
    }
}
