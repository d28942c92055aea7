package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.WeightedFold;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Federated averaging (McMahan et al. 2017): the mean of the updates weighted by their example counts. One pass,
 * memory O(block) besides the readers.
 */
public final class FedAvg implements Strategy {

    public static final String NAME = "fedavg";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        float[] chunk = new float[Blocks.SIZE];
        weightedMean(round.updates(), round.parameterCount(), (from, mean, length) -> {
            WeightedFold.narrow(mean, chunk, length);
            out.write(chunk, 0, length);
        });
        return new AggregationOutcome(ServerState.empty(), Map.of("updates", Integer.toString(round.updates().size()),
                "examples", Long.toString(totalExamples(round.updates()))));
    }

    /** Receives the weighted mean of one block of coordinates. */
    interface BlockConsumer {
        void accept(long from, double[] mean, int length) throws IOException;
    }

    /** Streams the example-weighted mean of {@code updates}, block by block, to {@code consumer}. */
    static void weightedMean(List<ClientUpdate> updates, long size, BlockConsumer consumer) throws IOException {
        double total = totalExamples(updates);
        double[] weights = updates.stream().mapToDouble(u -> u.numExamples() / total).toArray();
        double[] sum = new double[Blocks.SIZE];
        float[] chunk = new float[Blocks.SIZE];
        for (long from = 0; from < size; from += Blocks.SIZE) {
            int length = Blocks.length(from, size);
            Arrays.fill(sum, 0, length, 0);
            for (int k = 0; k < updates.size(); k++) {
                updates.get(k).weights().read(from, chunk, 0, length);
                WeightedFold.fold(sum, chunk, length, weights[k]);
            }
            consumer.accept(from, sum, length);
        }
    }

    static long totalExamples(List<ClientUpdate> updates) {
        return updates.stream().mapToLong(ClientUpdate::numExamples).sum();
    }
}
