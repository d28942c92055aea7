package io.meshfl.mesh.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LabelSkewPartitionTest {

    private static int[] labels(int rows, int classes) {
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    @Property(tries = 60)
    void everyRowGoesToExactlyOneDomainAndEveryDomainGetsItsMinimum(
            @ForAll @IntRange(min = 2, max = 8) int domains,
            @ForAll @DoubleRange(min = 0.3, max = 50) double alpha,
            @ForAll long seed) {
        int[] labels = labels(2_000, 5);

        int[][] shares = new LabelSkewPartition(alpha, 20).partition(labels, 5, domains, seed);

        assertThat(shares.length).isEqualTo(domains);
        int[] all = Arrays.stream(shares).flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(all).isEqualTo(java.util.stream.IntStream.range(0, 2_000).toArray());
        assertThat(Arrays.stream(shares).mapToInt(share -> share.length).min().orElseThrow()).isGreaterThanOrEqualTo(20);
    }

    @Property(tries = 100)
    void dirichletDrawsAreProbabilityVectors(@ForAll @DoubleRange(min = 0.01, max = 100) double alpha,
                                             @ForAll @IntRange(min = 1, max = 20) int dimensions,
                                             @ForAll long seed) {
        double[] p = new Dirichlet(alpha, new Random(seed)).sample(dimensions);

        assertThat(p).hasSize(dimensions);
        assertThat(Arrays.stream(p).allMatch(x -> x >= 0 && x <= 1)).isTrue();
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void smallAlphaSkewsLabelsMuchMoreThanLargeAlpha() {
        int[] labels = labels(6_000, 6);

        double skewed = meanDominantClassShare(new LabelSkewPartition(0.1, 50).partition(labels, 6, 4, 1), labels);
        double nearIid = meanDominantClassShare(new LabelSkewPartition(1_000, 50).partition(labels, 6, 4, 1), labels);

        // With 6 balanced classes an IID share has about 1/6 of its rows in its largest class.
        assertThat(nearIid).isLessThan(0.25);
        assertThat(skewed).isGreaterThan(0.5);
    }

    @Test
    void theSameSeedGivesTheSameSplit() {
        int[] labels = labels(1_000, 4);
        LabelSkewPartition partition = new LabelSkewPartition(0.5, 30);

        assertThat(partition.partition(labels, 4, 3, 9)).isDeepEqualTo(partition.partition(labels, 4, 3, 9));
    }

    @Test
    void tooFewRowsForTheDomainsIsRefusedNamingTheCounts() {
        assertThatThrownBy(() -> new LabelSkewPartition(0.5, 50).partition(labels(100, 2), 2, 3, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("100 rows").hasMessageContaining("3 domains");
    }

    @Test
    void aNonPositiveAlphaIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> new LabelSkewPartition(0, 10)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("--alpha");
    }

    private static double meanDominantClassShare(int[][] shares, int[] labels) {
        return Arrays.stream(shares).mapToDouble(share -> {
            int[] counts = new int[6];
            for (int row : share) {
                counts[labels[row]]++;
            }
            return (double) Arrays.stream(counts).max().orElseThrow() / share.length;
        }).average().orElseThrow();
    }
}
