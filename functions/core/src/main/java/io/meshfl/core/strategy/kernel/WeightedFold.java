package io.meshfl.core.strategy.kernel;

/** The FedAvg family's arithmetic: fold one update's chunk into a double-precision accumulator. */
public final class WeightedFold {

    private WeightedFold() {
    }

    /** {@code sum[i] += weight * values[i]} for {@code i < length}. */
    public static void fold(double[] sum, float[] values, int length, double weight) {
        for (int i = 0; i < length; i++) {
            sum[i] += weight * values[i];
        }
    }

    /** {@code target[i] = (float) sum[i]}. */
    public static void narrow(double[] sum, float[] target, int length) {
        for (int i = 0; i < length; i++) {
            target[i] = (float) sum[i];
        }
    }
}
