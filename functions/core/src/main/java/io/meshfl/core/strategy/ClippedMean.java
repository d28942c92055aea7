package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.List;

/**
 * The unweighted mean of the clipped updates (each with weight 1/K), computed block by block as a strategy reads
 * it: {@link ClippedFold}, FedAvg's fold of the clipped values, so a sharded round's leaves give the same sums.
 */
final class ClippedMean implements FlatWeights {

    private final FlatWeights global;
    private final int block;
    private final ThreadLocal<ClippedFold> folds;
    private final ThreadLocal<double[]> sums;

    ClippedMean(List<FlatWeights> updates, FlatWeights global, double[] factors, boolean doubles) {
        this.global = global;
        int smallest = Math.min(global.maxBlock(), updates.stream().mapToInt(FlatWeights::maxBlock).min()
                .orElse(Integer.MAX_VALUE));
        this.block = (int) Math.min(smallest, Math.max(1, Math.min(Blocks.STREAMING, global.size())));
        // Lanes read blocks at once: each thread folds with its own buffers.
        this.folds = ThreadLocal.withInitial(() -> new ClippedFold(updates, global, factors,
                1.0 / updates.size(), doubles, block));
        this.sums = ThreadLocal.withInitial(() -> new double[block]);
    }

    @Override
    public long size() {
        return global.size();
    }

    @Override
    public boolean holdsDoubles() {
        return true;
    }

    @Override
    public int maxBlock() {
        return block;
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
        ClippedFold fold = folds.get();
        double[] sum = sums.get();
        for (int done = 0; done < length; done += block) {
            int part = Math.min(block, length - done);
            fold.fold(sum, from + done, part);
            System.arraycopy(sum, 0, target, offset + done, part);
        }
    }
}
