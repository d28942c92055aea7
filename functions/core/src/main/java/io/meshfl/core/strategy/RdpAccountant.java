package io.meshfl.core.strategy;

/**
 * Privacy spent by repeating the sampled Gaussian mechanism (sampling rate q, noise multiplier σ), in Rényi
 * differential privacy (Mironov 2017) converted to (ε, δ).
 *
 * <p>Per step, for integer order α (Mironov, Talwar, Zhang 2019, Sec. 3.3):
 * <pre>  RDP(α) = log A_α / (α − 1),  A_α = Σ_{k=0..α} C(α,k) (1−q)^{α−k} q^k exp((k² − k) / (2σ²))</pre>
 * evaluated in log space. T steps compose to T·RDP(α), and ε = min over α of T·RDP(α) + log(1/δ)/(α − 1)
 * (Mironov 2017, Prop. 3). The orders are the integers 2…64 and a few larger ones, as in TensorFlow Privacy and
 * Opacus; src/test/resources/privacy/rdp_reference.py computes the same quantity independently by integration.
 */
public final class RdpAccountant {

    static final int[] ORDERS = orders();

    /** ε spent and the order that achieved it. */
    public record Spent(double epsilon, double delta, int order) {
    }

    private RdpAccountant() {
    }

    public static Spent epsilon(double samplingRate, double noiseMultiplier, long steps, double delta) {
        if (!(samplingRate >= 0 && samplingRate <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in [0, 1], was " + samplingRate);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
        }
        if (steps < 0 || noiseMultiplier < 0) {
            throw new IllegalArgumentException("steps and noise multiplier must be non-negative");
        }
        if (steps == 0 || samplingRate == 0) {
            return new Spent(0, delta, ORDERS[0]);
        }
        if (noiseMultiplier == 0) {
            return new Spent(Double.POSITIVE_INFINITY, delta, ORDERS[0]);
        }
        double best = Double.POSITIVE_INFINITY;
        int bestOrder = ORDERS[0];
        for (int order : ORDERS) {
            double epsilon = steps * rdp(samplingRate, noiseMultiplier, order) + Math.log(1 / delta) / (order - 1);
            if (epsilon < best) {
                best = epsilon;
                bestOrder = order;
            }
        }
        return new Spent(best, delta, bestOrder);
    }

    /** RDP of one step at integer order {@code order} ≥ 2. */
    static double rdp(double q, double sigma, int order) {
        if (q == 1) {
            return order / (2 * sigma * sigma);
        }
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double[] terms = new double[order + 1];
        double logBinomial = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= order; k++) {
            if (k > 0) {
                logBinomial += Math.log(order - k + 1) - Math.log(k);
            }
            terms[k] = logBinomial + (order - k) * logOneMinusQ + k * logQ + ((double) k * k - k) / (2 * sigma * sigma);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double term : terms) {
            sum += Math.exp(term - max);
        }
        return (max + Math.log(sum)) / (order - 1);
    }

    private static int[] orders() {
        int[] larger = {72, 80, 96, 128, 192, 256};
        int[] orders = new int[63 + larger.length];
        for (int i = 0; i < 63; i++) {
            orders[i] = i + 2;
        }
        System.arraycopy(larger, 0, orders, 63, larger.length);
        return orders;
    }
}
