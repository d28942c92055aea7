package io.meshfl.core.strategy.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The exact sum DP's norms are built from: independent of order and grouping, and the exact sum rounded once. */
class ExactSumProperties {

    @Property(tries = 50)
    void anyGroupingOfTheSameAddendsGivesTheCorrectlyRoundedExactSum(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int count, @ForAll @IntRange(min = 1, max = 6) int groups) {
        // Prepare: squares of float differences over a wide range of magnitudes, as a norm pass adds them
        Random random = new Random(seed);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double d = (double) (float) (random.nextGaussian() * Math.pow(2, random.nextInt(80) - 40));
            values.add(d * d);
        }

        // Execute: in order at once; and shuffled, in groups, the groups merged (a norm summed over shards)
        ExactSum whole = new ExactSum();
        values.forEach(whole::add);
        Collections.shuffle(values, random);
        List<ExactSum> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            parts.add(new ExactSum());
        }
        for (int i = 0; i < values.size(); i++) {
            parts.get(i % groups).add(values.get(i));
        }
        ExactSum merged = ExactSum.of(parts.get(0).digits());
        parts.subList(1, groups).forEach(merged::add);

        // Assert: the same double, and it is the exact sum rounded once
        BigDecimal exact = values.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(merged.value()).isEqualTo(whole.value()).isEqualTo(exact.doubleValue());
    }

    @Example
    void refusesNegativeAndNonFiniteAddendsAndForeignDigits() {
        ExactSum sum = new ExactSum();
        sum.add(-0.0);
        assertThat(sum.value()).isZero();
        assertThatThrownBy(() -> sum.add(-1e-300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sum.add(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sum.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactSum.of(new long[3])).hasMessageContaining("68 digits");
    }
}
