package io.meshfl.core.strategy.kernel;

/** The FedAvg family's arithmetic: fold updates' chunks into a double-precision accumulator. */
public final class WeightedFold {

    /** Updates folded per pass by {@link #fold(double[], float[][], double[], int, int)}. */
    public static final int WIDTH = 4;

    private WeightedFold() {
    }

    /** {@code sum[i] += weight * values[i]} for {@code i < length}. */
    public static void fold(double[] sum, float[] values, int length, double weight) {
        for (int i = 0; i < length; i++) {
            sum[i] += weight * values[i];
        }
    }

    /** {@code sum[i] += weight * values[i]} for {@code i < length}: the F64 path. */
    public static void fold(double[] sum, double[] values, int length, double weight) {
        for (int i = 0; i < length; i++) {
            sum[i] += weight * values[i];
        }
    }

    /**
     * {@code sum[i] += Σ_j weights[first + j] · values[j][i]} over {@link #WIDTH} updates: one load and store of
     * the accumulator per four values instead of per value. Same terms as four single folds, grouped differently.
     */
    public static void fold(double[] sum, float[][] values, double[] weights, int first, int length) {
        float[] a = values[0];
        float[] b = values[1];
        float[] c = values[2];
        float[] d = values[3];
        double wa = weights[first];
        double wb = weights[first + 1];
        double wc = weights[first + 2];
        double wd = weights[first + 3];
        for (int i = 0; i < length; i++) {
            sum[i] += (wa * a[i] + wb * b[i]) + (wc * c[i] + wd * d[i]);
        }
    }

    /** {@code target[i] = (float) sum[i]}. */
    public static void narrow(double[] sum, float[] target, int length) {
        for (int i = 0; i < length; i++) {
            target[i] = (float) sum[i];
        }
    }
}
