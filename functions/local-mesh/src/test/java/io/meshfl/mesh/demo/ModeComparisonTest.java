package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.mesh.report.Participation;
import io.meshfl.mesh.report.RoundResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --aggregation compare}: the async run's time to the sync run's final accuracy less 1 point, by hand. */
class ModeComparisonTest {

    @TempDir
    Path dir;

    private static RoundResult round(int number, double accuracy, double seconds) {
        return new RoundResult(number, new Participation("CLOSED", null, List.of("domain-1"), List.of(), List.of(),
                List.of()), accuracy, 0.1, Map.of(), seconds);
    }

    @Test
    void theAsyncTimeCountsItsBuffersUntilTheFirstOneAtTheSyncFinalAccuracyLessOnePoint() throws Exception {
        List<RoundResult> sync = List.of(round(1, 0.80, 20), round(2, 0.90, 30), round(3, 0.95, 50));
        List<RoundResult> async = List.of(round(1, 0.85, 4), round(2, 0.939, 5), round(3, 0.94, 6), round(4, 0.96, 7));

        ModeComparison comparison = ModeComparison.of(sync, async);

        assertThat(comparison.target()).isCloseTo(0.94, within(1e-12));
        assertThat(comparison.syncWallSeconds()).isEqualTo(100);
        assertThat(comparison.asyncSecondsToTarget()).as("4 + 5 + 6: buffer 3 is the first at 0.94").isEqualTo(15);
        assertThat(comparison.asyncBufferAtTarget()).isEqualTo(3);
        assertThat(comparison.ratio()).isCloseTo(0.15, within(1e-12));
        assertThat(comparison.line()).contains("15.0 s (buffer 3): 15.0 % of the sync wall time");

        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, "{\"mode\": \"horizontal\"}");
        comparison.addTo(summary);
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.get("mode").asText()).isEqualTo("horizontal");
        assertThat(json.at("/comparison/async/seconds_to_target").asDouble()).isEqualTo(15);
        assertThat(json.at("/comparison/async_share_of_sync_wall_time").asDouble()).isCloseTo(0.15, within(1e-12));
    }

    @Test
    void anAsyncRunThatNeverReachesTheTargetHasNoShare() {
        ModeComparison comparison = ModeComparison.of(List.of(round(1, 0.95, 10)), List.of(round(1, 0.5, 2)));

        assertThat(comparison.asyncSecondsToTarget()).isNull();
        assertThat(comparison.ratio()).isNull();
        assertThat(comparison.line()).contains("never reached 0.9400 in 1 buffers (2.0 s)");
    }
}
