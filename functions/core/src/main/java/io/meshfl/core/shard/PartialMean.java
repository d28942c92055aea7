package io.meshfl.core.shard;

import io.meshfl.core.strategy.FlatWeights;
import io.meshfl.core.streaming.StreamedModel;
import java.io.IOException;
import java.util.List;

/**
 * The weighted mean of a shard's updates as the root sees it: the sum of its children's partial sums, added block by
 * block as a strategy reads it (from −0.0, in double, one child after another). It stands in for a round of one
 * update of weight 1, so the root runs the real strategy — FedAvg narrows it, the server optimisers take their step
 * from it — and a one-update FedAvg returns its input bit for bit.
 */
final class PartialMean implements FlatWeights {

    private final List<StoredSlice> partials;
    private final ThreadLocal<double[]> scratch = new ThreadLocal<>();

    PartialMean(List<StoredSlice> partials) {
        this.partials = List.copyOf(partials);
    }

    @Override
    public long size() {
        return partials.get(0).size();
    }

    @Override
    public boolean holdsDoubles() {
        return true;
    }

    @Override
    public int maxBlock() {
        return partials.get(0).maxBlock();
    }

    @Override
    public void read(long from, float[] target, int offset, int length) throws IOException {
        double[] sum = new double[length];
        readDoubles(from, sum, 0, length);
        for (int i = 0; i < length; i++) {
            target[offset + i] = (float) sum[i];
        }
    }

    @Override
    public void readDoubles(long from, double[] target, int offset, int length) throws IOException {
        java.util.Arrays.fill(target, offset, offset + length, -0.0);
        double[] values = values(length);
        for (StoredSlice partial : partials) {
            partial.readDoubles(from, values, 0, length);
            for (int i = 0; i < length; i++) {
                target[offset + i] += values[i];
            }
        }
    }

    /** This thread's buffer for one child's block (lanes read different blocks at once). */
    private double[] values(int length) {
        double[] block = scratch.get();
        if (block == null || block.length < length) {
            block = new double[Math.max(length, StreamedModel.BLOCK_VALUES)];
            scratch.set(block);
        }
        return block;
    }
}
