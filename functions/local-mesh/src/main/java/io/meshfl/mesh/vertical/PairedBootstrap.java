package io.meshfl.mesh.vertical;

import io.meshfl.training.evaluate.AreaUnderCurve;
import java.util.Arrays;
import java.util.Random;

/**
 * How far one held-out AUC difference can be trusted: the paired bootstrap over the held-out entities (Efron and
 * Tibshirani 1993). Each resample draws the entities with replacement and scores both models on the same draw, so what
 * the two share (which entities are hard) cancels. Reported next to the demo's acceptance, which compares single
 * numbers on a few hundred entities; the acceptance itself is unchanged.
 */
final class PairedBootstrap {

    /** The observed AUC(a) − AUC(b) and the 2.5th and 97.5th percentiles of the resampled differences. */
    record Interval(double difference, double low, double high) {
    }

    private PairedBootstrap() {
    }

    static Interval aucDifference(float[] a, float[] b, boolean[] positive, int resamples, long seed) {
        if (a.length != b.length || a.length != positive.length) {
            throw new IllegalArgumentException("Both models must score the same entities: " + a.length + ", "
                    + b.length + " scores for " + positive.length + " labels");
        }
        double observed = auc(a, positive, identity(a.length)) - auc(b, positive, identity(a.length));
        Random random = new Random(seed);
        double[] differences = new double[resamples];
        int kept = 0;
        int[] draw = new int[a.length];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < draw.length; i++) {
                draw[i] = random.nextInt(draw.length);
            }
            double difference = auc(a, positive, draw) - auc(b, positive, draw);
            if (!Double.isNaN(difference)) {
                differences[kept++] = difference;
            }
        }
        if (kept == 0) {
            return new Interval(observed, Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(differences, kept);
        Arrays.sort(sorted);
        return new Interval(observed, sorted[(int) Math.floor(0.025 * (kept - 1))],
                sorted[(int) Math.ceil(0.975 * (kept - 1))]);
    }

    private static double auc(float[] scores, boolean[] positive, int[] draw) {
        double[] s = new double[draw.length];
        boolean[] p = new boolean[draw.length];
        for (int i = 0; i < draw.length; i++) {
            s[i] = scores[draw[i]];
            p[i] = positive[draw[i]];
        }
        return AreaUnderCurve.of(s, p).orElse(Double.NaN);
    }

    private static int[] identity(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }
}
