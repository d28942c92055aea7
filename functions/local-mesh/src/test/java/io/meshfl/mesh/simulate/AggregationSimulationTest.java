package io.meshfl.mesh.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.strategy.StrategyFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small simulated round: every node is one measured invocation, and the published model is checked. */
class AggregationSimulationTest {

    @Test
    void aSmallRoundReportsEveryInvocationAndEqualsTheSingleAggregator(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // 7 domains, fan-in 3: per shard 3 leaves and a root; 2 shards; one stitch.
        int status = AggregationSimulation.run(new AggregationSimulation.Settings(7, 2_001, 2, 3,
                StrategyFactory.create("fedavg", Map.of()), 4, 5, dir, true),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        String json = lines[lines.length - 1];
        assertThat(status).isZero();
        assertThat(json).startsWith("{\"wallSeconds\":").contains("\"invocations\":9,")
                .contains("\"equalsSingleAggregator\":true}").doesNotContain("\"maxHeapBytes\":0,");
        assertThat(json).doesNotContain("\"bytesRead\":0,");
        assertThat(Files.list(dir.resolve("scratch"))).isEmpty();
    }

    @Test
    void aStrategyTheSimulationCannotRunIsRefusedBeforeAnyUpdateIsGenerated(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = new picocli.CommandLine(new SimulateAggregationCommand()).execute("--domains", "3",
                    "--params", "10", "--strategy", "dp-fedavg", "--data-dir", dir.toString());
            assertThat(status).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        // DP-FedAvg needs its clip norm and noise multiplier (--param).
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("clipNorm");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aPrivateRoundRunsItsNormPassClippedLeavesAndNoisyRootsAndEqualsTheSingleAggregator(@TempDir Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int status;
        try {
            // 5 domains, fan-in 3, 2 shards: 4 norm nodes, 2 clip nodes, 4 leaves, 2 roots, the stitch.
            status = new picocli.CommandLine(new SimulateAggregationCommand()).execute("--domains", "5",
                    "--params", "999", "--shards", "2", "--fanout", "3", "--concurrency", "4", "--strategy",
                    "dp-fedavg", "--param", "clipNorm=10", "--param", "noiseMultiplier=1", "--data-dir", dir.toString());
        } finally {
            System.setOut(saved);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(status).isZero();
        assertThat(lines[lines.length - 1]).contains("\"invocations\":13,").contains("\"equalsSingleAggregator\":true}");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("norm ").contains("clip ");
    }
}
