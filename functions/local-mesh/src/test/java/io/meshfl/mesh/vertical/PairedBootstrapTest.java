package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired bootstrap of a held-out AUC difference: exact zero for one scorer, clear of zero for a real gap. */
class PairedBootstrapTest {

    private static final int N = 200;

    @Test
    void aScorerAgainstItselfDiffersByExactlyZeroOnEveryResample() {
        boolean[] positive = labels();
        float[] scores = noisyScores(positive, 1.0, 1);

        PairedBootstrap.Interval interval = PairedBootstrap.aucDifference(scores, scores, positive, 500, 7);

        assertThat(interval.difference()).isZero();
        assertThat(interval.low()).isZero();
        assertThat(interval.high()).isZero();
    }

    @Test
    void aMuchBetterScorersIntervalLiesAboveZeroAndHoldsTheObservedDifference() {
        boolean[] positive = labels();
        float[] good = noisyScores(positive, 0.3, 2);
        float[] poor = noisyScores(positive, 3.0, 3);

        PairedBootstrap.Interval interval = PairedBootstrap.aucDifference(good, poor, positive, 500, 7);

        assertThat(interval.low()).isPositive();
        assertThat(interval.difference()).isBetween(interval.low(), interval.high());
        // Swapping the models mirrors the interval (same resamples: same seed).
        PairedBootstrap.Interval swapped = PairedBootstrap.aucDifference(poor, good, positive, 500, 7);
        assertThat(swapped.high()).isCloseTo(-interval.low(), within(1e-12));
    }

    @Test
    void scoresOfDifferentEntitiesAreRefused() {
        assertThatThrownBy(() -> PairedBootstrap.aucDifference(new float[3], new float[2], new boolean[3], 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same entities");
    }

    private static boolean[] labels() {
        boolean[] positive = new boolean[N];
        for (int i = 0; i < N; i++) {
            positive[i] = i % 3 == 0;
        }
        return positive;
    }

    private static float[] noisyScores(boolean[] positive, double noise, long seed) {
        Random random = new Random(seed);
        float[] scores = new float[positive.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) ((positive[i] ? 1 : 0) + noise * random.nextGaussian());
        }
        return scores;
    }
}
