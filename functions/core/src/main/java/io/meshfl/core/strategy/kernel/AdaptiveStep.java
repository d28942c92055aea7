package io.meshfl.core.strategy.kernel;

/**
 * One server-optimizer step of Reddi et al. 2021 ("Adaptive Federated Optimization", Algorithm 2) on a chunk,
 * with the pseudo-gradient Δ = (weighted mean of the updates) − x:
 * <pre>
 *   m ← β1·m + (1 − β1)·Δ
 *   v ← v + Δ²                                  (FedAdagrad)
 *   v ← β2·v + (1 − β2)·Δ²                      (FedAdam)
 *   v ← v − (1 − β2)·Δ²·sign(v − Δ²)            (FedYogi)
 *   x ← x + η·m / (√v + τ)
 * </pre>
 * As in the paper, there is no bias correction. Arithmetic in double; m, v and x are stored as float.
 */
public final class AdaptiveStep {

    public enum Rule { ADAGRAD, ADAM, YOGI }

    private AdaptiveStep() {
    }

    /**
     * @param mean  weighted mean of the updates for this chunk
     * @param x     current global values, replaced by the new ones
     * @param m     first moment, updated in place
     * @param v     second moment, updated in place
     */
    public static void apply(Rule rule, double eta, double beta1, double beta2, double tau,
                             double[] mean, float[] x, float[] m, float[] v, int length) {
        for (int i = 0; i < length; i++) {
            double delta = mean[i] - x[i];
            double squared = delta * delta;
            double first = beta1 * m[i] + (1 - beta1) * delta;
            double second = switch (rule) {
                case ADAGRAD -> v[i] + squared;
                case ADAM -> beta2 * v[i] + (1 - beta2) * squared;
                case YOGI -> v[i] - (1 - beta2) * squared * Math.signum(v[i] - squared);
            };
            m[i] = (float) first;
            v[i] = (float) second;
            x[i] = (float) (x[i] + eta * first / (Math.sqrt(second) + tau));
        }
    }
}
