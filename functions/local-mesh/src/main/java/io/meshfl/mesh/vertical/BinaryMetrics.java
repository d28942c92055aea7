package io.meshfl.mesh.vertical;

import io.meshfl.training.evaluate.AreaUnderCurve;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * AUC, precision, recall and F1 of a binary scorer on the hold-out entities. With 1–2 % positives a probability
 * threshold of 0.5 flags almost nothing, so every model is judged at the same operating point instead: it flags as
 * many entities as the training data's positive rate predicts (an alert budget), its highest-scoring ones.
 */
public record BinaryMetrics(double auc, double precision, double recall, double f1) {

    public static BinaryMetrics of(float[] scores, boolean[] positive, double flaggedRate) {
        double[] asDouble = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            asDouble[i] = scores[i];
        }
        double auc = AreaUnderCurve.of(asDouble, positive).orElse(Double.NaN);
        int flagged = Math.max(1, (int) Math.round(flaggedRate * scores.length));
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        int truePositives = 0;
        for (int i = 0; i < flagged; i++) {
            if (positive[order[i]]) {
                truePositives++;
            }
        }
        int positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        double precision = (double) truePositives / flagged;
        double recall = positives == 0 ? 0 : (double) truePositives / positives;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BinaryMetrics(auc, precision, recall, f1);
    }
}
