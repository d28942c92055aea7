package io.meshfl.training.evaluate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores above a random negative,
 * ties counting one half. Exact, no threshold sweep.
 */
public final class AreaUnderCurve {

    private AreaUnderCurve() {
    }

    /** Empty when the rows hold only one class: AUC is undefined then. */
    public static OptionalDouble of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            // Tied scores share the mean of the ranks they span (ranks are 1-based).
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((positiveRankSum - positives * (positives + 1) / 2.0) / (positives * negatives));
    }
}
