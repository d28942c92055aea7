package io.meshfl.training;

import io.meshfl.training.engine.TorchEngine;
import java.nio.file.Path;
import java.util.OptionalInt;

/** Starts the PyTorch engine for tests: libtorch unpacked under the module's target/, one thread. */
public final class TestEngine {

    private TestEngine() {
    }

    public static TorchEngine.Started start() {
        return TorchEngine.start(workDir(), OptionalInt.of(1));
    }

    public static Path workDir() {
        String configured = System.getProperty("meshfl.test.work-dir");
        return configured != null ? Path.of(configured) : Path.of("target", "test-work");
    }
}
