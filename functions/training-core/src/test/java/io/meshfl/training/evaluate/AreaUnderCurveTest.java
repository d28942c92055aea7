package io.meshfl.training.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AreaUnderCurveTest {

    @Test
    void countsTiedPairsAsOneHalf() {
        // Prepare: positives score 0.8 and 0.4, negatives 0.4 and 0.1.
        // Pairs (pos, neg): (0.8, 0.4) win, (0.8, 0.1) win, (0.4, 0.4) tie, (0.4, 0.1) win -> 3.5 / 4.
        double[] scores = {0.8, 0.4, 0.4, 0.1};
        boolean[] positive = {true, true, false, false};

        assertThat(AreaUnderCurve.of(scores, positive)).hasValue(0.875);
    }

    @Test
    void isUndefinedWithOneClass() {
        assertThat(AreaUnderCurve.of(new double[] {0.1, 0.2}, new boolean[] {true, true})).isEmpty();
    }

    /** Agrees with counting every (positive, negative) pair, on scores with many ties. */
    @Property(tries = 300)
    void equalsThePairwiseCount(@ForAll @Size(min = 2, max = 60) List<@IntRange(min = 0, max = 5) Integer> scores,
            @ForAll long labelBits) {
        double[] s = scores.stream().mapToDouble(Integer::doubleValue).toArray();
        boolean[] positive = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            positive[i] = ((labelBits >>> (i % 64)) & 1) == 1;
        }
        double wins = 0;
        long pairs = 0;
        for (int p = 0; p < s.length; p++) {
            for (int n = 0; n < s.length; n++) {
                if (positive[p] && !positive[n]) {
                    pairs++;
                    wins += s[p] > s[n] ? 1 : s[p] == s[n] ? 0.5 : 0;
                }
            }
        }

        var auc = AreaUnderCurve.of(s, positive);

        if (pairs == 0) {
            assertThat(auc).isEmpty();
        } else {
            assertThat(auc.getAsDouble()).isCloseTo(wins / pairs, within(1e-12));
        }
    }
}
