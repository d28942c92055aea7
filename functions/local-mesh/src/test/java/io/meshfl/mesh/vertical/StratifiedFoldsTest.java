package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The stratified folds of {@code --folds}: every class spread evenly, test folds disjoint and covering. */
class StratifiedFoldsTest {

    @Test
    void everyFoldHoldsTheSamePositiveRateToWithinOneEntityPerClass() {
        // 23 positives and 277 negatives: 5 folds get 4 or 5 positives and 55 or 56 negatives each.
        float[] labels = labels(300, 23);

        int[] fold = StratifiedFolds.assign(labels, 5, 42);

        int[] positives = new int[5];
        int[] negatives = new int[5];
        for (int i = 0; i < labels.length; i++) {
            (labels[i] == 1 ? positives : negatives)[fold[i]]++;
        }
        assertThat(positives).containsOnly(4, 5);
        assertThat(Arrays.stream(positives).sum()).isEqualTo(23);
        assertThat(negatives).containsOnly(55, 56);
        int[] sizes = IntStream.range(0, 5).map(f -> positives[f] + negatives[f]).toArray();
        assertThat(sizes).containsOnly(60);
    }

    @Test
    void theTestFoldsAreDisjointAndCoverEveryEntityOnceAndNoFoldTrainsOrValidatesOnItsTestEntities() {
        float[] labels = labels(101, 9);

        List<StratifiedFolds.Fold> folds = StratifiedFolds.folds(labels, 4, 1, 7);

        assertThat(folds).hasSize(4);
        int[] tested = new int[labels.length];
        for (StratifiedFolds.Fold fold : folds) {
            Arrays.stream(fold.test()).forEach(i -> tested[i]++);
            Set<Integer> test = set(fold.test());
            Set<Integer> validation = set(fold.validation());
            Set<Integer> train = set(fold.train());
            assertThat(validation).doesNotContainAnyElementsOf(test);
            assertThat(train).doesNotContainAnyElementsOf(test).doesNotContainAnyElementsOf(validation);
            assertThat(train.size() + validation.size() + test.size()).isEqualTo(labels.length);
        }
        assertThat(tested).containsOnly(1);
        // The validation fold of fold f is the test fold of fold f + 1.
        assertThat(folds.get(0).validation()).isEqualTo(folds.get(1).test());
        assertThat(folds.get(3).validation()).isEqualTo(folds.get(0).test());
    }

    @Test
    void theSameSeedAndRepeatDealTheSameFoldsAndAnotherRepeatDealsOthers() {
        float[] labels = labels(200, 20);

        assertThat(StratifiedFolds.folds(labels, 5, 1, 3).get(0).test())
                .isEqualTo(StratifiedFolds.folds(labels, 5, 1, 3).get(0).test())
                .isNotEqualTo(StratifiedFolds.folds(labels, 5, 2, 3).get(0).test());
    }

    @Test
    void fewerThanThreeFoldsLeaveNoFoldToTrainOnAndAreRefused() {
        assertThatThrownBy(() -> StratifiedFolds.assign(labels(10, 2), 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 folds");
    }

    /** {@code positives} positives spread over {@code n} entities (every n/positives-th), the rest negatives. */
    private static float[] labels(int n, int positives) {
        float[] labels = new float[n];
        for (int p = 0; p < positives; p++) {
            labels[p * n / positives] = 1;
        }
        return labels;
    }

    private static Set<Integer> set(int[] positions) {
        return new HashSet<>(Arrays.stream(positions).boxed().toList());
    }
}
