package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.ExactSum;
import io.meshfl.core.strategy.kernel.WeightedFold;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The arithmetic of {@link DifferentialPrivacy}'s clipping, shared by the single aggregator and the leaves of a sharded
 * round so that both compute the same bits:
 * <ul>
 *   <li>{@link #squaredDistances}: per update, Σᵢ (xᵢ − gᵢ)² over a range of coordinates, each term in double and added
 *       to an {@link ExactSum} — so a norm summed over shards is the norm summed over the whole model;</li>
 *   <li>{@link #factor}: C / ‖x − g‖ above the bound C, 1 within it;</li>
 *   <li>{@link #fold}: Σₖ w·clip(xₖ) over a block, folded exactly as {@code FedAvg} folds (from −0.0, four updates per
 *       pass with float values, one at a time in double when the model has F64 tensors), where clip(x) = g + c·(x − g)
 *       (rounded to float unless the model holds doubles) and an update within the bound (c = 1) is taken as it is.</li>
 * </ul>
 * One instance per thread: it holds the block buffers.
 */
public final class ClippedFold {

    private final List<? extends FlatWeights> updates;
    private final FlatWeights global;
    private final double[] factors;
    private final double[] weights;
    private final boolean doubles;
    private final float[][] chunks;
    private final float[] base;
    private final double[] exact;
    private final double[] exactBase;

    /**
     * @param factors each update's clipping factor ({@link #factor})
     * @param weight each update's weight in the sum (1/K: DP's mean counts every update once)
     * @param doubles whether the model holds F64 values (then values are read and clipped in double)
     * @param block the largest block {@link #fold} is asked for
     */
    public ClippedFold(List<? extends FlatWeights> updates, FlatWeights global, double[] factors, double weight,
            boolean doubles, int block) {
        if (factors.length != updates.size()) {
            throw new IllegalArgumentException(factors.length + " clipping factors for " + updates.size() + " updates");
        }
        this.updates = updates;
        this.global = global;
        this.factors = factors.clone();
        this.weights = new double[updates.size()];
        Arrays.fill(weights, weight);
        this.doubles = doubles;
        this.chunks = doubles ? new float[0][] : new float[WeightedFold.WIDTH][block];
        this.base = doubles ? null : new float[block];
        this.exact = doubles ? new double[block] : null;
        this.exactBase = doubles ? new double[block] : null;
    }

    /** The clipping factor of an update at L2 distance {@code norm} from the global model, for bound {@code clipNorm}. */
    public static double factor(double norm, double clipNorm) {
        return norm > clipNorm ? clipNorm / norm : 1;
    }

    /**
     * Adds Σᵢ (xₖᵢ − gᵢ)² over values [from, from + length) to {@code sums[k]} for every update k; reads the global
     * model's block once and each update's once.
     */
    public static void squaredDistances(List<? extends FlatWeights> updates, FlatWeights global, ExactSum[] sums,
            boolean doubles, long from, int length, double[] valueBuffer, double[] globalBuffer) throws IOException {
        read(global, doubles, from, globalBuffer, length);
        for (int k = 0; k < updates.size(); k++) {
            read(updates.get(k), doubles, from, valueBuffer, length);
            ExactSum sum = sums[k];
            for (int i = 0; i < length; i++) {
                double d = valueBuffer[i] - globalBuffer[i];
                sum.add(d * d);
            }
        }
    }

    /** Values as the fold sees them: exact doubles for an F64 model, floats widened otherwise. */
    private static void read(FlatWeights weights, boolean doubles, long from, double[] target, int length)
            throws IOException {
        if (doubles) {
            weights.readDoubles(from, target, 0, length);
            return;
        }
        float[] floats = new float[length];
        weights.read(from, floats, 0, length);
        for (int i = 0; i < length; i++) {
            target[i] = floats[i];
        }
    }

    /** {@code sum[0 … length)} = Σₖ w·clip(xₖ) over values [from, from + length). */
    public void fold(double[] sum, long from, int length) throws IOException {
        Arrays.fill(sum, 0, length, -0.0);
        if (doubles) {
            global.readDoubles(from, exactBase, 0, length);
            for (int k = 0; k < updates.size(); k++) {
                updates.get(k).readDoubles(from, exact, 0, length);
                double c = factors[k];
                if (c != 1) {
                    for (int i = 0; i < length; i++) {
                        exact[i] = exactBase[i] + c * (exact[i] - exactBase[i]);
                    }
                }
                WeightedFold.fold(sum, exact, length, weights[k]);
            }
            return;
        }
        global.read(from, base, 0, length);
        int k = 0;
        for (; k + WeightedFold.WIDTH <= updates.size(); k += WeightedFold.WIDTH) {
            for (int j = 0; j < WeightedFold.WIDTH; j++) {
                readClipped(k + j, chunks[j], from, length);
            }
            WeightedFold.fold(sum, chunks, weights, k, length);
        }
        for (; k < updates.size(); k++) {
            readClipped(k, chunks[0], from, length);
            WeightedFold.fold(sum, chunks[0], length, weights[k]);
        }
    }

    private void readClipped(int k, float[] chunk, long from, int length) throws IOException {
        updates.get(k).read(from, chunk, 0, length);
        double c = factors[k];
        if (c != 1) {
            for (int i = 0; i < length; i++) {
                chunk[i] = (float) (base[i] + c * (chunk[i] - base[i]));
            }
        }
    }
}
