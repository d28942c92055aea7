package io.meshfl.training.dataproduct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureScalingTest {

    // Two features, three rows: column 0 is 1, 2, 3 (mean 2), column 1 is 10, 10, 10 (constant).
    private final TabularData rows = new TabularData(List.of("a", "b"), new float[] {1, 10, 2, 10, 3, 10},
            new float[] {0, 1, 0});

    @Test
    void absentSettingMeansLocalStatistics() {
        assertThat(FeatureScaling.of(null)).isEqualTo(FeatureScaling.LOCAL);
        assertThat(FeatureScaling.of("Local")).isEqualTo(FeatureScaling.LOCAL);
    }

    @Test
    void localCentresAndScalesWithTheTrainingRowsStatistics() {
        float[] scaled = FeatureScaling.LOCAL.fit(rows).apply(rows).features();

        // column 0: (x - 2) / sqrt(2/3); column 1 is constant, so only centred
        float unit = (float) (1 / Math.sqrt(2.0 / 3));
        assertThat(scaled).containsExactly(-unit, 0, 0, 0, unit, 0);
    }

    @Test
    void noneLeavesTheValuesAsPublished() {
        assertThat(FeatureScaling.of("none").fit(rows).apply(rows).features()).containsExactly(1, 10, 2, 10, 3, 10);
    }

    @Test
    void unknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> FeatureScaling.of("global"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("featureScaling")
                .hasMessageContaining("global");
    }
}
