package io.meshfl.core.strategy.kernel;

/** Squared Euclidean distances between K updates, accumulated block by block (Krum's first pass). */
public final class PairwiseDistances {

    private PairwiseDistances() {
    }

    /** Adds the squared distances of {@code rows[i][0, length)} and {@code rows[j][0, length)} to {@code sums[i][j]}. */
    public static void accumulate(double[][] sums, float[][] rows, int count, int length) {
        for (int i = 0; i < count; i++) {
            float[] a = rows[i];
            for (int j = i + 1; j < count; j++) {
                float[] b = rows[j];
                double sum = 0;
                for (int c = 0; c < length; c++) {
                    double d = (double) a[c] - b[c];
                    sum += d * d;
                }
                sums[i][j] += sum;
                sums[j][i] += sum;
            }
        }
    }

    /** Adds the squared distance of {@code values[0, length)} to {@code reference[0, length)}. */
    public static double squaredDistance(float[] values, float[] reference, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double d = (double) values[i] - reference[i];
            sum += d * d;
        }
        return sum;
    }
}
