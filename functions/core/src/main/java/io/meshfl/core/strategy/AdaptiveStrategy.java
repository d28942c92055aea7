package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.AdaptiveStep;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The orchestration shared by FedAdagrad, FedAdam and FedYogi: stream the weighted mean, apply the server
 * optimizer step, carry the moments {@code m} and {@code v} as server state. The first round starts from m = 0
 * and v = τ² (the paper's v₋₁ ≥ τ²).
 */
abstract class AdaptiveStrategy implements Strategy {

    static final String FIRST_MOMENT = "m";
    static final String SECOND_MOMENT = "v";

    private final AdaptiveStep.Rule rule;
    private final double eta;
    private final double beta1;
    private final double beta2;
    private final double tau;

    AdaptiveStrategy(AdaptiveStep.Rule rule, double eta, double beta1, double beta2, double tau) {
        this.rule = rule;
        this.eta = eta;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.tau = tau;
    }

    @Override
    public boolean readsGlobalModel() {
        return true;
    }

    @Override
    public boolean readsUpdatesOnce() {
        return true;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        long size = round.parameterCount();
        state.requireStrategy(name(), size);
        int n = Math.toIntExact(size);
        float[] m = copyOr(state.vectors().get(FIRST_MOMENT), n, 0f);
        float[] v = copyOr(state.vectors().get(SECOND_MOMENT), n, (float) (tau * tau));
        float[] x = new float[Blocks.streaming(size)];
        float[] mBlock = new float[Blocks.streaming(size)];
        float[] vBlock = new float[Blocks.streaming(size)];
        FedAvg.weightedMean(round.updates(), size, (from, mean, length) -> {
            round.global().read(from, x, 0, length);
            int offset = (int) from;
            System.arraycopy(m, offset, mBlock, 0, length);
            System.arraycopy(v, offset, vBlock, 0, length);
            AdaptiveStep.apply(rule, eta, beta1, beta2, tau, mean, x, mBlock, vBlock, length);
            System.arraycopy(mBlock, 0, m, offset, length);
            System.arraycopy(vBlock, 0, v, offset, length);
            out.write(x, 0, length);
        });
        return new AggregationOutcome(ServerState.of(name(), Map.of(), Map.of(FIRST_MOMENT, m, SECOND_MOMENT, v)),
                Map.of("updates", Integer.toString(round.updates().size())));
    }

    private static float[] copyOr(float[] stored, int size, float initial) {
        if (stored != null) {
            return stored.clone();
        }
        float[] fresh = new float[size];
        Arrays.fill(fresh, initial);
        return fresh;
    }

    /** Name and parameters: what a sharded aggregation's plan id hashes (the same settings, the same id). */
    @Override
    public String toString() {
        return name() + "(eta=" + eta + ", beta1=" + beta1 + ", beta2=" + beta2 + ", tau=" + tau + ")";
    }
}
