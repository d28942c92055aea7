package io.meshfl.mesh.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianMixtureGeneratorTest {

    private final GaussianMixtureGenerator generator = new GaussianMixtureGenerator(600, 5, 3, 2, 3.0);

    @Test
    void theSameSeedGivesTheSameRowsBitForBit() {
        TabularDataset first = generator.generate(7);
        TabularDataset second = generator.generate(7);

        assertThat(first.features()).isDeepEqualTo(second.features());
        assertThat(first.labels()).isEqualTo(second.labels());
    }

    @Test
    void anotherSeedGivesOtherRows() {
        assertThat(java.util.Arrays.deepEquals(generator.generate(7).features(), generator.generate(8).features())).isFalse();
    }

    @Test
    void classesAreBalancedAndNamedAndRowsHaveTheRequestedShape() {
        TabularDataset data = generator.generate(1);

        assertThat(data.rows()).isEqualTo(600);
        assertThat(data.featureNames()).containsExactly("x01", "x02", "x03", "x04", "x05");
        assertThat(data.classes()).containsExactly("class_0", "class_1", "class_2");
        assertThat(data.classCounts()).containsExactly(200, 200, 200);
        assertThat(Arrays.stream(data.features()).allMatch(row -> row.length == 5)).isTrue();
    }

    @Test
    void classMeansDifferBecauseTheCentresAreClassDependent() {
        // Prepare: well-separated centres, one blob per class, many rows.
        TabularDataset data = new GaussianMixtureGenerator(3_000, 2, 3, 1, 5.0).generate(3);

        // Execute: the mean of each class.
        double[][] means = new double[3][2];
        for (int row = 0; row < data.rows(); row++) {
            for (int f = 0; f < 2; f++) {
                means[data.labels()[row]][f] += data.features()[row][f] / 1_000.0;
            }
        }

        // Assert: with unit noise the class means sit far apart (the centres are ~5 apart on average).
        assertThat(Math.hypot(means[0][0] - means[1][0], means[0][1] - means[1][1])).isGreaterThan(1.0);
        assertThat(Math.hypot(means[1][0] - means[2][0], means[1][1] - means[2][1])).isGreaterThan(1.0);
    }

    @Test
    void anImpossibleMixtureIsRefusedNamingItsParameters() {
        assertThatThrownBy(() -> new GaussianMixtureGenerator(10, 2, 1, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classes=1");
    }
}
