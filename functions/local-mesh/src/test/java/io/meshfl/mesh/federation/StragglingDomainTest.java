package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StragglingDomainTest {

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    /** The straggler around {@code domain}, pausing on the domain's own clock (recorded, never slept). */
    private StragglingDomain straggler(ScriptedDomain domain, double factor, StragglingDomain.OpenRound openRound) {
        return new StragglingDomain(domain, factor, openRound, pause -> {
            pauses.add(pause);
            domain.clock.addAndGet(pause.toNanos());
        }, domain.clock::get);
    }

    @Test
    void fromItsSecondRoundTheDomainWaitsFactorMinusOneTimesItsMeasuredTrainingTime() {
        // Prepare: training takes 2 s; factor 4 makes the domain 3 × 2 s = 6 s late, 8 s from trigger to upload.
        ScriptedDomain domain = new ScriptedDomain("domain-1", Duration.ofSeconds(2), 200);
        StragglingDomain straggler = straggler(domain, 4, (model, round) -> true);

        // Execute
        Participant.Outcome first = straggler.takePart("m", 1);
        long secondStart = domain.clock.get();
        Participant.Outcome second = straggler.takePart("m", 2);

        // Assert: round 1 measures, round 2 waits.
        assertThat(first.succeeded()).isTrue();
        assertThat(second.succeeded()).isTrue();
        assertThat(pauses).containsExactly(Duration.ofSeconds(6));
        assertThat(Duration.ofNanos(domain.clock.get() - secondStart)).isEqualTo(Duration.ofSeconds(8));
        assertThat(domain.rounds).containsExactly(1, 2);
    }

    @Test
    void aFractionalFactorScalesTheDelay() {
        ScriptedDomain domain = new ScriptedDomain("domain-1", Duration.ofSeconds(2), 200);
        StragglingDomain straggler = straggler(domain, 1.5, (model, round) -> true);

        straggler.takePart("m", 1);
        straggler.takePart("m", 2);

        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aRoundThatEndedWhileTheDomainWaitedIsMissedNotTrainedForTheNextRound() {
        ScriptedDomain domain = new ScriptedDomain("domain-1", Duration.ofSeconds(2), 200);
        StragglingDomain straggler = straggler(domain, 10, (model, round) -> round != 2);

        straggler.takePart("m", 1);
        Participant.Outcome second = straggler.takePart("m", 2);

        assertThat(second.absent()).isTrue();
        assertThat(second.failed()).isFalse();
        assertThat(second.body()).contains("missed round 2");
        assertThat(domain.rounds).as("the training function was not triggered for round 2").containsExactly(1);
    }

    @Test
    void factorOneIsOnTime() {
        ScriptedDomain domain = new ScriptedDomain("domain-1", Duration.ofSeconds(2), 200);
        StragglingDomain straggler = straggler(domain, 1, (model, round) -> true);

        straggler.takePart("m", 1);
        straggler.takePart("m", 2);

        assertThat(pauses).isEmpty();
        assertThat(domain.rounds).containsExactly(1, 2);
    }

    @Test
    void aFailedActionIsNotTakenAsTheTrainingTime() {
        ScriptedDomain domain = new ScriptedDomain("domain-1", Duration.ofSeconds(2), 500);
        StragglingDomain straggler = straggler(domain, 3, (model, round) -> true);

        straggler.takePart("m", 1);

        assertThat(straggler.nextDelay()).isZero();
    }
}
