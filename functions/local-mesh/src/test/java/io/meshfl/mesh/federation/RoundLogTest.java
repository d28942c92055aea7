package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundLogTest {

    @TempDir
    Path dir;

    @Test
    void roundsOfSeveralRunsReadBackInOrderWithTheLastRecordOfARetriedRound() {
        RoundLog log = new RoundLog(dir.resolve("rounds.jsonl"));
        RoundOutcome first = new RoundOutcome(1, 4, 0, List.of(), "models/m/global/2.safetensors", 3.5);
        RoundOutcome second = new RoundOutcome(2, 3, 1, List.of("domain-2: norm 40 > 10"), "models/m/global/3.safetensors", 2);
        RoundOutcome secondAgain = new RoundOutcome(2, 3, 1, List.of("domain-2: norm 40 > 10"),
                "models/m/global/3.safetensors", 2.25);

        log.append(second);
        log.append(first);
        log.append(secondAgain);

        assertThat(new RoundLog(dir.resolve("rounds.jsonl")).read()).containsExactly(first, secondAgain);
    }

    @Test
    void noFileMeansNoRoundsYet() {
        assertThat(new RoundLog(dir.resolve("absent.jsonl")).read()).isEmpty();
    }

    @Test
    void aDamagedLogSaysToStartFresh() throws Exception {
        Files.writeString(dir.resolve("rounds.jsonl"), "{not json\n");

        assertThatThrownBy(() -> new RoundLog(dir.resolve("rounds.jsonl")).read()).hasMessageContaining("--fresh");
    }
}
