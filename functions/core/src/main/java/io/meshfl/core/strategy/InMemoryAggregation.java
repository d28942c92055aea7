package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.List;

/** Runs a strategy over weights already in memory: small models, in-process replays of a federation, tests. */
public final class InMemoryAggregation {

    /** The new global model, flat in manifest order, and what the strategy reported. */
    public record Result(float[] model, AggregationOutcome outcome) {
    }

    private InMemoryAggregation() {
    }

    public static Result aggregate(Strategy strategy, float[] global, List<ClientUpdate> updates, ServerState state)
            throws IOException {
        RoundInput round = new RoundInput(new InMemoryWeights(global), updates);
        float[] model = new float[global.length];
        int[] position = {0};
        AggregationOutcome outcome = strategy.aggregate(round, state, (source, offset, length) -> {
            System.arraycopy(source, offset, model, position[0], length);
            position[0] += length;
        });
        if (position[0] != model.length) {
            throw new IllegalStateException(strategy.name() + " wrote " + position[0] + " of " + model.length + " values");
        }
        return new Result(model, outcome);
    }
}
