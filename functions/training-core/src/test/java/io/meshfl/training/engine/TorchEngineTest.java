package io.meshfl.training.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.training.TestEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchEngineTest {

    @Test
    void startsLibtorchFromTheMavenArtifactUnderTheWorkDir() {
        TorchEngine.Started started = TestEngine.start();

        assertThat(started.version()).startsWith("2.7.1");
        assertThat(started.cacheDir()).startsWith(TestEngine.workDir().toAbsolutePath());
        assertThat(started.cacheDir().resolve("pytorch")).isDirectory();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }

    /** The engine is process-wide, so the failing start runs in a fresh JVM whose work dir is a plain file. */
    @Test
    void failsAtStartWithAClearMessageWhenLibtorchCannotBeUnpacked(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("work"), "a file, not a directory");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                StartProbe.class.getName(), notADirectory.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("ENGINE_CACHE_DIR");
        Process process = builder.start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(3);
        assertThat(output)
                .contains("The PyTorch engine could not start")
                .contains(notADirectory.resolve("djl").toString())
                .contains("meshfl.training.work-dir");
    }

    /** Starts the engine on the work dir given as argument; exits 3 and prints the message if that fails. */
    public static final class StartProbe {
        public static void main(String[] args) throws IOException {
            try {
                TorchEngine.start(Path.of(args[0]), OptionalInt.of(1));
                System.exit(0);
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
