package io.meshfl.core.strategy;

import java.util.List;

/**
 * What a strategy aggregates: the round's global model and its accepted updates, all of {@code global.size()}
 * values. Updates are full weights (the domain's locally trained model), not differences.
 */
public record RoundInput(FlatWeights global, List<ClientUpdate> updates) {

    public RoundInput {
        updates = List.copyOf(updates);
        if (updates.isEmpty()) {
            // The aggregation function closes a round only at quorum; an empty round is a caller's mistake.
            throw new CannotAggregate.TooFewUpdates("a round needs at least one update to aggregate");
        }
        for (ClientUpdate update : updates) {
            if (update.weights().size() != global.size()) {
                throw new IllegalArgumentException("update '" + update.id() + "' has " + update.weights().size()
                        + " values, the global model " + global.size());
            }
        }
    }

    public long parameterCount() {
        return global.size();
    }
}
