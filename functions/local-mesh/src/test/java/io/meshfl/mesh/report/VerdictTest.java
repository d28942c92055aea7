package io.meshfl.mesh.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.training.evaluate.Metrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static Metrics accuracy(double value) {
        return new Metrics(100, 0.5, value, null, null);
    }

    @Test
    void exactlyTwoPointsBelowCentralisedIsWithinAsPrinted() {
        // 0.92 − 0.90 is 2.0000000000000018 in doubles; printed, and judged, as 2.0 points.
        Verdict verdict = Verdict.of(accuracy(0.90), accuracy(0.92), Map.of("a", accuracy(0.80)));

        assertThat(verdict.pointsBelowCentralised()).isEqualTo(2.0);
        assertThat(verdict.withinOfCentralised()).isTrue();
        assertThat(verdict.aboveEveryLocal()).isTrue();
        assertThat(verdict.passed()).isTrue();
    }

    @Test
    void moreThanTwoPointsBelowFailsThatCheckOnly() {
        Verdict verdict = Verdict.of(accuracy(0.897), accuracy(0.92), Map.of("a", accuracy(0.80)));

        assertThat(verdict.pointsBelowCentralised()).isEqualTo(2.3);
        assertThat(verdict.holds(Verdict.Check.WITHIN_CENTRALISED)).isFalse();
        assertThat(verdict.holds(Verdict.Check.ABOVE_LOCAL)).isTrue();
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void tyingTheBestLocalModelIsNotAbove() {
        Verdict verdict = Verdict.of(accuracy(0.85), accuracy(0.86), Map.of("a", accuracy(0.85), "b", accuracy(0.6)));

        assertThat(verdict.pointsAboveBestLocal()).isEqualTo(0.0);
        assertThat(verdict.aboveEveryLocal()).isFalse();
    }
}
