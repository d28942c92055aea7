package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.CoordinateSelection;
import java.io.IOException;
import java.util.Map;

/** Coordinate-wise median of the updates (Yin et al. 2018), unweighted; robust to a minority of outliers. */
public final class FedMedian implements Strategy {

    public static final String NAME = "median";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean readsUpdatesOnce() {
        return true;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        CoordinateBlocks.reduce(round.updates(), round.parameterCount(), out, CoordinateSelection::median);
        return new AggregationOutcome(ServerState.empty(), Map.of("updates", Integer.toString(round.updates().size())));
    }

    /** No parameters: the name is all a sharded aggregation's plan id needs to hash. */
    @Override
    public String toString() {
        return NAME;
    }
}
