package io.meshfl.training.engine;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Starts DJL's PyTorch engine offline, once per process (DJL's engine is process-wide).
 *
 * <p>libtorch comes from the {@code pytorch-native-cpu} jar on the class path and is unpacked under the work
 * directory: on Lambda only {@code /tmp} is writable, and nothing may land in the home folder. DJL must never touch
 * the network: offline mode stops it downloading libtorch, and opting out of tracking stops it probing the cloud
 * metadata address at start. Both are read from system properties when no environment variable of the same name is
 * set, so they are set here before the first DJL class runs.
 */
public final class TorchEngine {

    /** DJL's name for the PyTorch engine. */
    public static final String ENGINE_NAME = "PyTorch";

    private static Started started;

    private TorchEngine() {
    }

    /** What starting the engine gave: its version and how long the start took (libtorch unpack and load). */
    public record Started(String version, Path cacheDir, Duration startTime) {
    }

    /**
     * Starts the engine, or returns the earlier start.
     *
     * @param workDir where the engine cache goes ({@code workDir/djl}); created if missing
     * @param threads intra-op and inter-op threads for libtorch; empty leaves libtorch's default (all cores) unless
     *     the {@code ai.djl.pytorch.num_threads} properties are already set
     * @throws IllegalStateException with the likely cause when libtorch cannot be unpacked or loaded
     */
    public static synchronized Started start(Path workDir, OptionalInt threads) {
        if (started != null) {
            return started;
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        threads.ifPresent(n -> {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(n));
        });
        Path cacheDir = cacheDir(workDir);
        long begin = System.nanoTime();
        Engine engine;
        try {
            Files.createDirectories(cacheDir);
            engine = Engine.getEngine(ENGINE_NAME);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new IllegalStateException("""
                    The PyTorch engine could not start: libtorch was not unpacked or loaded (%s). \
                    Check that ai.djl.pytorch:pytorch-native-cpu (linux-x86_64) and pytorch-jni are on the class \
                    path and that the engine cache %s is writable (set meshfl.training.work-dir; on Lambda it \
                    must be under /tmp). DJL runs offline and will not download libtorch."""
                    .formatted(rootMessage(e), cacheDir), e);
        }
        started = new Started(engine.getVersion(), cacheDir, Duration.ofNanos(System.nanoTime() - begin));
        return started;
    }

    /** The engine cache DJL uses: {@code ENGINE_CACHE_DIR} if the environment sets it, else under the work dir. */
    private static Path cacheDir(Path workDir) {
        String fromEnvironment = System.getenv("ENGINE_CACHE_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        Path cacheDir = workDir.resolve("djl").toAbsolutePath();
        System.setProperty("ENGINE_CACHE_DIR", cacheDir.toString());
        System.setProperty("DJL_CACHE_DIR", cacheDir.toString());
        return cacheDir;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e) : e + ", caused by " + root;
    }
}
