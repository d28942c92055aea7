package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.Map;

/**
 * FedAvg with server momentum (Hsu et al. 2019): with Δ = (weighted mean) − x, the momentum m ← β·m + Δ and the
 * new model x + η·m. Momentum is the server state ({@code momentum}, one value per parameter).
 */
public final class FedAvgM implements Strategy {

    public static final String NAME = "fedavgm";
    static final String MOMENTUM = "momentum";

    private final double serverLearningRate;
    private final double momentum;

    public FedAvgM(double serverLearningRate, double momentum) {
        this.serverLearningRate = serverLearningRate;
        this.momentum = momentum;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean readsUpdatesOnce() {
        return true;
    }

    @Override
    public boolean readsGlobalModel() {
        return true;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        long size = round.parameterCount();
        state.requireStrategy(NAME, size);
        float[] previous = state.vectors().get(MOMENTUM);
        float[] next = new float[Math.toIntExact(size)];
        float[] x = new float[Blocks.streaming(size)];
        FedAvg.weightedMean(round.updates(), size, (from, mean, length) -> {
            round.global().read(from, x, 0, length);
            int offset = (int) from;
            for (int i = 0; i < length; i++) {
                double delta = mean[i] - x[i];
                double m = (previous == null ? 0 : momentum * previous[offset + i]) + delta;
                next[offset + i] = (float) m;
                x[i] = (float) (x[i] + serverLearningRate * m);
            }
            out.write(x, 0, length);
        });
        return new AggregationOutcome(ServerState.of(NAME, Map.of(), Map.of(MOMENTUM, next)),
                Map.of("updates", Integer.toString(round.updates().size())));
    }

    /** Name and parameters: what a sharded aggregation's plan id hashes (the same settings, the same id). */
    @Override
    public String toString() {
        return NAME + "(eta=" + serverLearningRate + ", momentum=" + momentum + ")";
    }
}
