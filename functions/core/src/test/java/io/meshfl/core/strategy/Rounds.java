package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Test support: run a strategy on in-memory weights and collect the new global model. */
final class Rounds {

    private Rounds() {
    }

    record Output(float[] model, AggregationOutcome outcome) {
    }

    static RoundInput round(float[] global, List<float[]> updates, long[] examples) {
        List<ClientUpdate> clients = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            clients.add(new ClientUpdate("u" + i, examples[i], new InMemoryWeights(updates.get(i))));
        }
        return new RoundInput(new InMemoryWeights(global), clients);
    }

    static Output run(Strategy strategy, RoundInput round, ServerState state) throws IOException {
        float[] global = new float[Math.toIntExact(round.parameterCount())];
        round.global().read(0, global, 0, global.length);
        InMemoryAggregation.Result result = InMemoryAggregation.aggregate(strategy, global, round.updates(), state);
        return new Output(result.model(), result.outcome());
    }

    static Output run(Strategy strategy, float[] global, List<float[]> updates, long... examples) throws IOException {
        return run(strategy, round(global, updates, examples), ServerState.empty());
    }
}
