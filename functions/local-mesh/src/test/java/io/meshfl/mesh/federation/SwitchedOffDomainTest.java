package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SwitchedOffDomainTest {

    @Test
    void fromItsRoundOnTheDomainIsAbsentAndItsTrainingIsNeverTriggered() {
        ScriptedDomain domain = new ScriptedDomain("domain-2", Duration.ofSeconds(1), 200);
        SwitchedOffDomain failing = new SwitchedOffDomain(domain, 2);

        var outcomes = IntStream.rangeClosed(1, 4).mapToObj(round -> failing.takePart("m", round)).toList();

        assertThat(domain.rounds).containsExactly(1);
        assertThat(outcomes.get(0).succeeded()).isTrue();
        assertThat(outcomes.subList(1, 4)).allSatisfy(outcome -> {
            assertThat(outcome.absent()).isTrue();
            assertThat(outcome.failed()).as("absent on purpose is no failure").isFalse();
            assertThat(outcome.domain()).isEqualTo("domain-2");
            assertThat(outcome.body()).contains("switched off from round 2");
        });
    }

    @Test
    void failingFromRoundOneMeansNeverTakingPart() {
        ScriptedDomain domain = new ScriptedDomain("domain-2", Duration.ofSeconds(1), 200);

        new SwitchedOffDomain(domain, 1).takePart("m", 1);

        assertThat(domain.rounds).isEmpty();
    }
}
