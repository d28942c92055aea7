package io.meshfl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where test services keep their files: the module's target/ (set by Surefire), never the home folder. */
final class TestWorkDir {

    private TestWorkDir() {
    }

    static Path resolve(String name) {
        String configured = System.getProperty("meshfl.test.work-dir");
        Path base = configured != null ? Path.of(configured) : Path.of("target", "test-work");
        try {
            return Files.createDirectories(base.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create test work directory " + base.resolve(name), e);
        }
    }
}
