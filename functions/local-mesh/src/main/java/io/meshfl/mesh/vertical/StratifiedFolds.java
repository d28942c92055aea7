package io.meshfl.mesh.vertical;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Stratified k-fold assignment of the aligned entities for {@code --folds}: the positives, shuffled, are dealt to the
 * folds in turn, then the negatives, shuffled, continuing where the positives stopped, so every fold holds the positive
 * rate of the whole (counts differ by at most one per class) and the folds' sizes differ by at most one. For fold
 * {@code f} of a repeat the test entities are fold {@code f}, the validation entities (model selection and early
 * stopping) fold {@code f + 1 mod k}, and the rest train: every entity is tested exactly once per repeat, by models that
 * never saw it.
 *
 * <p>The label owner is the one party that can assign stratified folds; it would publish each pseudonym's fold. Dealt
 * this way, an entity's fold says nothing about its label, but each fold's positive count is the positive rate.
 */
final class StratifiedFolds {

    /** One fold of one repeat: positions (in the common order) to train on, to validate with and to test. */
    record Fold(int repeat, int fold, int[] train, int[] validation, int[] test) {
    }

    private StratifiedFolds() {
    }

    /** The fold (0 … k−1) of every position, for labels 0/1 per position. */
    static int[] assign(float[] labels, int k, long seed) {
        if (k < 3) {
            throw new IllegalArgumentException("Cross-validation with a validation fold needs at least 3 folds, got " + k);
        }
        Random random = new Random(seed);
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            (labels[i] == 1 ? positives : negatives).add(i);
        }
        Collections.shuffle(positives, random);
        Collections.shuffle(negatives, random);
        int[] fold = new int[labels.length];
        int next = 0;
        for (List<Integer> group : List.of(positives, negatives)) {
            for (int position : group) {
                fold[position] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** The k folds of repeat {@code repeat} (1-based): each repeat deals the entities anew from its own seed. */
    static List<Fold> folds(float[] labels, int k, int repeat, long seed) {
        int[] assigned = assign(labels, k, seed * 1_000_003L + repeat);
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int test = f;
            int validation = (f + 1) % k;
            folds.add(new Fold(repeat, f + 1,
                    IntStream.range(0, labels.length).filter(i -> assigned[i] != test && assigned[i] != validation)
                            .toArray(),
                    IntStream.range(0, labels.length).filter(i -> assigned[i] == validation).toArray(),
                    IntStream.range(0, labels.length).filter(i -> assigned[i] == test).toArray()));
        }
        return folds;
    }
}
