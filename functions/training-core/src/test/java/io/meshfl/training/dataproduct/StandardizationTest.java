package io.meshfl.training.dataproduct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizationTest {

    @Test
    void scalesByTheTrainingRowsMeanAndPopulationDeviation() {
        // Prepare: column a = 1, 3 (mean 2, deviation 1); column b constant 5.
        TabularData train = new TabularData(List.of("a", "b"), new float[] {1, 5, 3, 5}, new float[] {0, 1});
        TabularData holdOut = new TabularData(List.of("a", "b"), new float[] {4, 6}, new float[] {1});

        // Execute
        Standardization statistics = Standardization.of(train);

        // Assert: b's deviation 0 becomes 1, so it is only centred.
        assertThat(statistics.means()).containsExactly(2, 5);
        assertThat(statistics.deviations()).containsExactly(1, 1);
        assertThat(statistics.apply(train).features()).containsExactly(-1, 0, 1, 0);
        assertThat(statistics.apply(holdOut).features()).containsExactly(2, 1);
        assertThat(statistics.apply(holdOut).labels()).containsExactly(1);
    }
}
