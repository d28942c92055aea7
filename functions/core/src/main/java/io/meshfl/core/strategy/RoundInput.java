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
        totalExamples(updates);
    }

    /** The updates' example counts summed exactly (the constructor has refused a sum past {@code Long.MAX_VALUE}). */
    public long totalExamples() {
        return totalExamples(updates);
    }

    /**
     * Sums exactly: a count near {@code Long.MAX_VALUE} plus another must be a refusal, never a wrapped negative
     * total that turns every weight's sign (and the average into the negation of the largest update).
     */
    static long totalExamples(List<ClientUpdate> updates) {
        long total = 0;
        for (ClientUpdate update : updates) {
            try {
                total = Math.addExact(total, update.numExamples());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the example counts of the " + updates.size() + " updates sum past "
                        + Long.MAX_VALUE + " (update '" + update.id() + "' claims " + update.numExamples()
                        + "): refusing to weight them");
            }
        }
        return total;
    }

    public long parameterCount() {
        return global.size();
    }
}
