package io.meshfl.core.async;

import io.meshfl.core.strategy.FlatWeights;
import java.io.IOException;

/**
 * An update trained from an older global model, seen as if it had been trained from the current one: each value is
 * {@code current + weight · (update − base)}. Fed to any strategy, which then sees the buffered deltas
 * Δ_i = update_i − global(base_i) applied to the current model, scaled by their staleness weights: FedAvg's weighted
 * mean becomes x + Σ (n_i/N)·w_i·Δ_i (FedBuff's step with server learning rate 1, example-weighted), and the server
 * optimisers (FedAvgM, FedAdam, …), which take "mean − x" as their pseudo-gradient, step on that buffered delta.
 * Reads block by block from the three inputs: memory is O(block), whatever the model's size.
 */
public final class StaleUpdate implements FlatWeights {

    private final FlatWeights current;
    private final FlatWeights base;
    private final FlatWeights update;
    private final double weight;

    public StaleUpdate(FlatWeights current, FlatWeights base, FlatWeights update, double weight) {
        if (base.size() != current.size() || update.size() != current.size()) {
            throw new IllegalArgumentException("sizes differ: current " + current.size() + ", base " + base.size()
                    + ", update " + update.size());
        }
        this.current = current;
        this.base = base;
        this.update = update;
        this.weight = weight;
    }

    @Override
    public long size() {
        return current.size();
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
        double[] x = new double[length];
        double[] b = new double[length];
        current.readDoubles(from, x, 0, length);
        base.readDoubles(from, b, 0, length);
        update.readDoubles(from, target, offset, length);
        for (int i = 0; i < length; i++) {
            // When the update trained from the current model (base == current, weight 1) this is the update itself.
            target[offset + i] = x[i] + weight * (target[offset + i] - b[i]);
        }
    }

    @Override
    public boolean holdsDoubles() {
        return current.holdsDoubles() || update.holdsDoubles();
    }

    @Override
    public int maxBlock() {
        return Math.min(current.maxBlock(), Math.min(base.maxBlock(), update.maxBlock()));
    }
}
