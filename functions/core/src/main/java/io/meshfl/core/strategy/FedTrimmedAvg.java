package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.CoordinateSelection;
import java.io.IOException;
import java.util.Map;

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018), unweighted: drop the ⌊β·K⌋ smallest and largest values of
 * each coordinate and average the rest.
 */
public final class FedTrimmedAvg implements Strategy {

    public static final String NAME = "trimmed-mean";

    private final double beta;

    /** @param beta fraction cut from each end, in [0, 0.5) */
    public FedTrimmedAvg(double beta) {
        if (!(beta >= 0 && beta < 0.5)) {
            throw new IllegalArgumentException("beta must be in [0, 0.5), was " + beta);
        }
        this.beta = beta;
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
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        int count = round.updates().size();
        int cut = (int) (beta * count);
        CoordinateBlocks.reduce(round.updates(), round.parameterCount(), out,
                (column, n) -> CoordinateSelection.trimmedMean(column, n, cut));
        return new AggregationOutcome(ServerState.empty(), Map.of("updates", Integer.toString(count),
                "trimmedPerSide", Integer.toString(cut)));
    }

    /** Name and parameters: what a sharded aggregation's plan id hashes (the same settings, the same id). */
    @Override
    public String toString() {
        return NAME + "(beta=" + beta + ")";
    }
}
