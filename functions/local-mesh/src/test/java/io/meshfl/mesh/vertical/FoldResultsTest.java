package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cross-validation summary: means over the folds and the corrected paired interval, checked by hand. */
class FoldResultsTest {

    @Test
    void thePairedDifferenceHasTheNadeauBengioCorrectedIntervalNotTheNaiveOne() {
        // Prepare: 3 test folds of 10 entities, each model learned from 20. split − domain-1 per fold: 0.02, 0.01, 0.03.
        FoldResults results = new FoldResults(3, 1, List.of(
                fold(1, 0.90, 0.88, 0.70), fold(2, 0.92, 0.91, 0.72), fold(3, 0.94, 0.91, 0.74)));

        // Execute
        FoldResults.Difference d = results.aucDifference("split", "domain-1");

        // Assert: mean 0.02, sd 0.01; half-width t(2) · sqrt((1/3 + 10/20) · 0.01²) = 4.303 · 0.0091287 = 0.039281
        // (the naive sqrt(0.01² / 3) would give 0.024843).
        assertThat(d.perFold()).containsExactly(new double[] {0.02, 0.01, 0.03}, within(1e-12));
        assertThat(d.mean()).isCloseTo(0.02, within(1e-12));
        assertThat(d.sd()).isCloseTo(0.01, within(1e-12));
        assertThat(d.low()).isCloseTo(0.02 - 0.039281, within(1e-6));
        assertThat(d.high()).isCloseTo(0.02 + 0.039281, within(1e-6));
    }

    @Test
    void resultsAreTheMeansOverTheFoldsAndTheBestDomainIsTheOneWithTheHighestMeanAuc() {
        FoldResults results = new FoldResults(3, 1, List.of(
                fold(1, 0.90, 0.88, 0.95), fold(2, 0.92, 0.91, 0.85), fold(3, 0.94, 0.91, 0.86)));

        assertThat(results.mean(FoldResults.Fold::split).auc()).isCloseTo(0.92, within(1e-12));
        assertThat(results.spread(FoldResults.Fold::split, BinaryMetrics::auc).sd()).isCloseTo(0.02, within(1e-12));
        // domain-1: mean 0.90; domain-2: 0.8867, though it is best on fold 1.
        assertThat(results.bestDomain()).isEqualTo("domain-1");
        assertThat(results.json()).containsKeys("k", "repeats", "models", "bestDomain", "aucDifferences", "perFold");
    }

    @Test
    void studentsQuantileComesFromTheTableAndBeyondItFromTheExpansion() {
        assertThat(FoldResults.tQuantile975(4)).isEqualTo(2.776);
        assertThat(FoldResults.tQuantile975(60)).isCloseTo(2.0003, within(1e-3));
        assertThat(FoldResults.tQuantile975(120)).isCloseTo(1.9799, within(1e-3));
    }

    private static FoldResults.Fold fold(int fold, double split, double domain1, double domain2) {
        Map<String, BinaryMetrics> local = new LinkedHashMap<>();
        local.put("domain-1", auc(domain1));
        local.put("domain-2", auc(domain2));
        return new FoldResults.Fold(1, fold, 10, 2, 20, auc(split), auc(split), auc(split), local, local);
    }

    private static BinaryMetrics auc(double auc) {
        return new BinaryMetrics(auc, 0, 0, 0);
    }
}
