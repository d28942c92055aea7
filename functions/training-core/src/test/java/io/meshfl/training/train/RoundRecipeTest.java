package io.meshfl.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.TabularData;
import org.junit.jupiter.api.Test;

class RoundRecipeTest {

    private static final TrainingSettings BASE = TrainingSettings.plain(2, 16, 0.05f, OptimizerKind.SGD, 7);

    private static TabularData rows(int n) {
        float[] features = new float[n * 2];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            features[2 * i] = i;
            features[2 * i + 1] = 100 + 3 * i;
            labels[i] = i % 2;
        }
        return new TabularData(java.util.List.of("a", "b"), features, labels);
    }

    @Test
    void eachRoundHasItsOwnSeedDerivedFromTheModelsSeed() {
        RoundRecipe recipe = RoundRecipe.of(BASE, FeatureScaling.NONE);

        assertThat(recipe.settings(1).seed()).isEqualTo(7 * 31 + 1);
        assertThat(recipe.settings(4).seed()).isEqualTo(7 * 31 + 4);
        assertThat(recipe.settings(4).localEpochs()).isEqualTo(2);
    }

    @Test
    void theDefaultHoldOutIsTheTrainingFunctionsDefault() {
        assertThat(RoundRecipe.of(BASE, FeatureScaling.NONE).holdOutFraction()).isEqualTo(0.2);
        assertThat(RoundRecipe.of(BASE, FeatureScaling.NONE).split(rows(100), 3).holdOut().rows()).isEqualTo(20);
    }

    @Test
    void theSameRoundSplitsTheSameRowsAndAnotherRoundOthers() {
        RoundRecipe recipe = RoundRecipe.of(BASE, FeatureScaling.NONE);

        HoldOutSplit first = recipe.split(rows(50), 2);

        assertThat(recipe.split(rows(50), 2).holdOut().features()).isEqualTo(first.holdOut().features());
        assertThat(recipe.split(rows(50), 3).holdOut().features()).isNotEqualTo(first.holdOut().features());
    }

    @Test
    void localScalingUsesTheTrainingRowsStatisticsOnly() {
        HoldOutSplit split = RoundRecipe.of(BASE, FeatureScaling.LOCAL).split(rows(40), 1);

        double mean = 0;
        for (int i = 0; i < split.train().rows(); i++) {
            mean += split.train().features()[2 * i];
        }
        assertThat(mean / split.train().rows()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void aHoldOutFractionOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new RoundRecipe(BASE, FeatureScaling.NONE, 1.0))
                .hasMessageContaining("hold-out fraction");
    }
}
