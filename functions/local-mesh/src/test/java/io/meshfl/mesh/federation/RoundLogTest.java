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
        RoundOutcome first = new RoundOutcome(1, 11, "CLOSED", null, 4, 0, List.of(), "models/m/global/2.safetensors", 3.5);
        RoundOutcome second = new RoundOutcome(2, 12, "CLOSED", null, 3, 1, List.of("domain-2: norm 40 > 10"),
                "models/m/global/3.safetensors", 2);
        RoundOutcome secondAgain = new RoundOutcome(2, 12, "CLOSED", null, 3, 1, List.of("domain-2: norm 40 > 10"),
                "models/m/global/3.safetensors", 2.25);

        log.append(second);
        log.append(first);
        log.append(secondAgain);

        assertThat(new RoundLog(dir.resolve("rounds.jsonl")).read()).containsExactly(first, secondAgain);
    }

    @Test
    void aFailedRoundAndItsRetryUnderTheSameNumberAreBothKeptFailedFirst() {
        RoundLog log = new RoundLog(dir.resolve("rounds.jsonl"));
        RoundOutcome retry = new RoundOutcome(2, 14, "CLOSED", null, 3, 0, List.of(), "models/m/global/3.safetensors", 4);
        RoundOutcome failed = new RoundOutcome(2, 13, "FAILED", "quorum not met: 1 of 3", 1, 0, List.of(),
                "models/m/global/2.safetensors", 20);

        log.append(retry);
        log.append(failed);

        assertThat(log.read()).containsExactly(failed, retry);
        assertThat(log.read().get(0).failed()).isTrue();
    }

    @Test
    void aLogWithoutRoundIdsIsFromAnOlderVersionAndSaysToStartFresh() throws Exception {
        Files.writeString(dir.resolve("rounds.jsonl"), "{\"round\":1,\"accepted\":4,\"rejected\":0,\"rejections\":[],"
                + "\"nextGlobalModelKey\":\"models/m/global/2.safetensors\",\"seconds\":3.5}\n");

        assertThatThrownBy(() -> new RoundLog(dir.resolve("rounds.jsonl")).read()).hasMessageContaining("older MeshFL")
                .hasMessageContaining("--fresh");
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
