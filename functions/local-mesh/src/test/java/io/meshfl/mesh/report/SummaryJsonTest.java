package io.meshfl.mesh.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    @TempDir
    Path dir;

    @Test
    void theSummaryHasExactlyTheFieldsTheIssueFixesWithTheRunsNumbers() throws Exception {
        Path file = dir.resolve("summary.json");

        new SummaryJson().write(ReportFixture.twoRounds(), file);

        JsonNode summary = new ObjectMapper().readTree(Files.readString(file));
        assertThat(fieldNames(summary)).containsExactly("dataset", "mode", "strategy", "domains", "rounds", "federated",
                "centralized", "local", "rounds_detail", "contributions", "verdict");
        assertThat(summary.get("dataset").asText()).isEqualTo("gaussian-mixture");
        assertThat(summary.get("mode").asText()).isEqualTo("local");
        assertThat(summary.get("strategy").asText()).isEqualTo("fedavg");
        assertThat(summary.get("domains").asInt()).isEqualTo(2);
        assertThat(summary.get("rounds").asInt()).isEqualTo(2);
        assertThat(fieldNames(summary.get("federated"))).containsExactly("accuracy", "loss");
        assertThat(summary.at("/federated/accuracy").asDouble()).isEqualTo(0.9);
        assertThat(summary.at("/centralized/loss").asDouble()).isEqualTo(0.25);
        assertThat(fieldNames(summary.get("local"))).containsExactly("domain-1", "domain-2");
        assertThat(summary.at("/local/domain-2/accuracy").asDouble()).isEqualTo(0.4);
        JsonNode rounds = summary.get("rounds_detail");
        assertThat(rounds).hasSize(2);
        assertThat(fieldNames(rounds.get(0))).containsExactly("round", "outcome", "reason", "accepted", "missing", "late",
                "rejected", "accuracy", "seconds");
        assertThat(rounds.get(1).get("round").asInt()).isEqualTo(2);
        assertThat(rounds.get(1).get("outcome").asText()).isEqualTo("CLOSED");
        assertThat(rounds.get(1).get("reason").isNull()).isTrue();
        assertThat(texts(rounds.get(1).get("accepted"))).containsExactly("domain-1");
        assertThat(texts(rounds.get(1).get("missing"))).containsExactly("domain-2");
        assertThat(rounds.get(1).get("late")).isEmpty();
        assertThat(rounds.get(1).get("rejected")).hasSize(1);
        assertThat(rounds.at("/1/rejected/0/domain").asText()).isEqualTo("domain-2");
        assertThat(rounds.at("/1/rejected/0/reason").asText()).isEqualTo("norm 40 > 10");
        assertThat(rounds.get(1).get("accuracy").asDouble()).isEqualTo(0.9);
        assertThat(rounds.get(1).get("seconds").asDouble()).isEqualTo(3.25);
        assertThat(texts(summary.at("/contributions/domain-1"))).containsExactly("1", "2");
        assertThat(texts(summary.at("/contributions/domain-2"))).containsExactly("1");
    }

    @Test
    void everyRoundSaysWhoWasMissingAndAFailedRoundWhyAndContributionsCountOnlyClosedRounds() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(new SummaryJson().render(ReportFixture.withAnAbsentDomain()));

        JsonNode rounds = summary.get("rounds_detail");
        assertThat(rounds).hasSize(4);
        assertThat(rounds.get(0).get("missing")).isEmpty();
        for (int round = 2; round <= 4; round++) {
            assertThat(texts(rounds.get(round - 1).get("missing"))).as("round %d", round).contains("domain-2");
        }
        assertThat(rounds.get(2).get("outcome").asText()).isEqualTo("FAILED");
        assertThat(rounds.get(2).get("reason").asText()).isEqualTo("quorum not met: 2 of 3 domains");
        assertThat(texts(rounds.get(2).get("late"))).containsExactly("domain-4");
        assertThat(fieldNames(summary.get("contributions"))).containsExactly("domain-1", "domain-2", "domain-3",
                "domain-4");
        assertThat(texts(summary.at("/contributions/domain-1"))).containsExactly("1", "2", "4");
        assertThat(texts(summary.at("/contributions/domain-2"))).containsExactly("1");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @Test
    void underAttackTheSummaryAddsThePoisonedDomainAndTheReplay() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(new SummaryJson().render(ReportFixture.underAttack()));

        assertThat(fieldNames(summary)).endsWith("rounds_detail", "contributions", "verdict", "poisoned");
        assertThat(summary.at("/poisoned/domain").asText()).isEqualTo("domain-2");
        assertThat(fieldNames(summary.at("/poisoned/replay"))).containsExactly("strategy", "accuracy", "loss");
        assertThat(summary.at("/poisoned/replay/strategy").asText()).isEqualTo("median");
        assertThat(summary.at("/poisoned/replay/accuracy").asDouble()).isEqualTo(0.85);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
