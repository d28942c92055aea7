package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * A mean with the round's Gaussian noise added: value i of the model (its flat index, {@code offset} + i here)
 * gets std · N(0, 1) drawn from (seed, i) only, so a strategy that reads it in other blocks, or a shard that
 * holds only some of the values, sees the same noise.
 */
final class NoisyMean implements FlatWeights {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final FlatWeights mean;
    private final long offset;
    private final double std;
    private final long seed;

    NoisyMean(FlatWeights mean, long offset, double std, long seed) {
        this.mean = mean;
        this.offset = offset;
        this.std = std;
        this.seed = seed;
    }

    static double gaussian(long seed, long index) {
        return new SplittableRandom(seed ^ (index * GOLDEN)).nextGaussian();
    }

    @Override
    public long size() {
        return mean.size();
    }

    @Override
    public boolean holdsDoubles() {
        return true;
    }

    @Override
    public int maxBlock() {
        return mean.maxBlock();
    }

    @Override
    public void read(long from, float[] target, int offset, int length) throws IOException {
        double[] values = new double[length];
        readDoubles(from, values, 0, length);
        for (int i = 0; i < length; i++) {
            target[offset + i] = (float) values[i];
        }
    }

    @Override
    public void readDoubles(long from, double[] target, int offset, int length) throws IOException {
        mean.readDoubles(from, target, offset, length);
        if (std == 0) {
            return;
        }
        long first = this.offset + from;
        for (int i = 0; i < length; i++) {
            target[offset + i] += std * gaussian(seed, first + i);
        }
    }
}
