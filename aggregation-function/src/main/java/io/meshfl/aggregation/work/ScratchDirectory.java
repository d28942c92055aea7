package io.meshfl.aggregation.work;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private directory for one invocation's downloads and outputs, deleted when closed. On Lambda only /tmp is
 * writable and it survives between invocations of a warm instance, so nothing may be left behind.
 */
public final class ScratchDirectory implements AutoCloseable {

    private final Path directory;

    private ScratchDirectory(Path directory) {
        this.directory = directory;
    }

    public static ScratchDirectory under(Path parent) {
        try {
            Files.createDirectories(parent);
            return new ScratchDirectory(Files.createTempDirectory(parent, "meshfl-aggregation-"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch directory under " + parent, e);
        }
    }

    /** A path for a file named {@code name} in this directory (not created). */
    public Path file(String name) {
        return directory.resolve(name);
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete scratch directory " + directory, e);
        }
    }
}
