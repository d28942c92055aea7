package io.meshfl.core.strategy;

import java.io.IOException;

/**
 * A server-side aggregation rule. Implementations orchestrate (passes over the inputs, state in and out) and
 * leave the arithmetic to the kernels in {@code strategy.kernel}. They hold only configuration, never state
 * between rounds: that is {@code state} in and {@link AggregationOutcome#state()} out.
 */
public interface Strategy {

    /** The registry name: {@code fedavg}, {@code fedadam}, {@code krum}, … */
    String name();

    /**
     * Whether the result depends on the round's global model (server optimizers, DP clipping); if not, the
     * caller may pass any weights of the right size as {@link RoundInput#global()}.
     */
    default boolean readsGlobalModel() {
        return false;
    }

    /**
     * Whether one pass reads every update's values exactly once, front to back in blocks (lanes may be a block
     * apart): then updates may be streamed from the object store instead of downloaded. Strategies that read an
     * update twice (Krum's distances then its mean, DP's norms then its clipped mean) keep the default; a streamed
     * update read twice fails loudly rather than returning other values.
     */
    default boolean readsUpdatesOnce() {
        return false;
    }

    /**
     * Aggregates one round into {@code out} (the new global model, flat in manifest order, written exactly once
     * from first to last value).
     *
     * @param state what this strategy returned last round, or {@link ServerState#empty()} the first time
     * @throws CannotAggregate if the round cannot be aggregated by this strategy (too few updates for Krum's
     *     Byzantine bound, a state from another strategy, the privacy budget spent), before anything is written;
     *     any other exception is a bug or broken infrastructure
     */
    AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException;
}
