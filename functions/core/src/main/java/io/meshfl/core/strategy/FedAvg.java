package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.WeightedFold;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Federated averaging (McMahan et al. 2017): the mean of the updates weighted by their example counts. One pass,
 * memory O(block) per core besides the readers.
 */
public final class FedAvg implements Strategy {

    public static final String NAME = "fedavg";

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
        if (holdDoubles(round.updates())) {
            // F64 tensors are written from the double mean as they are; narrower ones round as below.
            weightedMean(round.updates(), round.parameterCount(), (from, mean, length) -> out.writeDoubles(mean, 0,
                    length));
        } else {
            float[] chunk = new float[block(round.updates(), round.parameterCount())];
            weightedMean(round.updates(), round.parameterCount(), (from, mean, length) -> {
                WeightedFold.narrow(mean, chunk, length);
                out.write(chunk, 0, length);
            });
        }
        return new AggregationOutcome(ServerState.empty(), Map.of("updates", Integer.toString(round.updates().size()),
                "examples", Long.toString(round.totalExamples())));
    }

    /** Receives the weighted mean of one block of coordinates. */
    interface BlockConsumer {
        void accept(long from, double[] mean, int length) throws IOException;
    }

    /**
     * Streams the example-weighted mean of {@code updates}, in blocks of {@link Blocks#streaming(long)}
     * coordinates, to {@code consumer}: in order and one block at a time, but not necessarily on the calling thread
     * (blocks are computed and handed over on all cores; see {@link ParallelBlocks}).
     */
    static void weightedMean(List<ClientUpdate> updates, long size, BlockConsumer consumer) throws IOException {
        double total = RoundInput.totalExamples(updates);
        double[] weights = updates.stream().mapToDouble(u -> u.numExamples() / total).toArray();
        int block = block(updates, size);
        boolean doubles = holdDoubles(updates);
        ParallelBlocks.run(size, block, () -> new Accumulator(block, doubles),
                (accumulator, from, length) -> accumulator.fold(updates, weights, from, length),
                (accumulator, from, length) -> consumer.accept(from, accumulator.sum, length));
    }

    /** The block {@link #weightedMean} hands its consumer: consumers size their buffers with it. */
    static int block(List<ClientUpdate> updates, long size) {
        return Blocks.atMost(Blocks.streaming(size), updates);
    }

    /**
     * Whether the model has F64 tensors: then updates are read and folded as doubles, so that F64 weights keep
     * their precision (a one-update mean returns them bit for bit) and values beyond float's range survive. Models
     * without F64 keep the float reads, half the memory traffic.
     */
    static boolean holdDoubles(List<ClientUpdate> updates) {
        return updates.stream().anyMatch(u -> u.weights().holdsDoubles());
    }

    /** One core's buffers: the block's double-precision sum and room for four updates' chunks (or one as doubles). */
    private static final class Accumulator {
        final double[] sum;
        final float[][] chunks;
        final double[] exact;

        Accumulator(int block, boolean doubles) {
            sum = new double[block];
            chunks = doubles ? new float[0][] : new float[WeightedFold.WIDTH][block];
            exact = doubles ? new double[block] : null;
        }

        void fold(List<ClientUpdate> updates, double[] weights, long from, int length) throws IOException {
            // -0.0, not 0.0: -0.0 + x is x for every x (0.0 + -0.0 is 0.0), so one update comes back bit for bit.
            Arrays.fill(sum, 0, length, -0.0);
            if (exact != null) {
                for (int k = 0; k < updates.size(); k++) {
                    updates.get(k).weights().readDoubles(from, exact, 0, length);
                    WeightedFold.fold(sum, exact, length, weights[k]);
                }
                return;
            }
            int k = 0;
            // Four updates per pass over the accumulator: the fold, not the page cache, is what limits FedAvg.
            for (; k + WeightedFold.WIDTH <= updates.size(); k += WeightedFold.WIDTH) {
                for (int j = 0; j < WeightedFold.WIDTH; j++) {
                    updates.get(k + j).weights().read(from, chunks[j], 0, length);
                }
                WeightedFold.fold(sum, chunks, weights, k, length);
            }
            for (; k < updates.size(); k++) {
                updates.get(k).weights().read(from, chunks[0], 0, length);
                WeightedFold.fold(sum, chunks[0], length, weights[k]);
            }
        }
    }

    /** No parameters: the name is all a sharded aggregation's plan id needs to hash. */
    @Override
    public String toString() {
        return NAME;
    }
}
