package io.meshfl.core.strategy.kernel;

import java.util.Arrays;

/**
 * Krum's score (Blanchard et al. 2017): for each update, the sum of squared distances to its K − f − 2 nearest
 * other updates. Byzantine updates far from the honest majority get large scores.
 */
public final class KrumScores {

    private KrumScores() {
    }

    public static double[] scores(double[][] squaredDistances, int count, int byzantine) {
        int neighbours = count - byzantine - 2;
        double[] scores = new double[count];
        double[] others = new double[count - 1];
        for (int i = 0; i < count; i++) {
            int n = 0;
            for (int j = 0; j < count; j++) {
                if (j != i) {
                    others[n++] = squaredDistances[i][j];
                }
            }
            Arrays.sort(others);
            double score = 0;
            for (int k = 0; k < neighbours; k++) {
                score += others[k];
            }
            scores[i] = score;
        }
        return scores;
    }
}
