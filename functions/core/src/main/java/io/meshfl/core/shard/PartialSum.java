package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.ShardPlan.Piece;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.strategy.kernel.WeightedFold;
import io.meshfl.core.streaming.StoredHeader;
import io.meshfl.core.streaming.StreamedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A node's partial sum for one shard, stored as safetensors: {@code sum} (F64, one value per floating-point value
 * of the shard) = Σ (n_k / N) · x_k over the updates below the node, with N the round's total example count, and
 * {@code maximum} (I64) = the element-wise maximum of the shard's integer values (MeshFL's rule for counters). The
 * metadata counts the examples and updates folded, so the root can check that every update was counted exactly once.
 *
 * <p>Leaves fold exactly as {@code FedAvg} does (from −0.0, four updates per pass, or one at a time in double when
 * the model has F64 tensors), so a tree with a single leaf gives FedAvg's sum bit for bit; upper levels add
 * partials, which associates the sum differently.
 */
public final class PartialSum {

    static final String SUM = "sum";
    static final String MAXIMUM = "maximum";
    static final String EXAMPLES = "examples";
    static final String UPDATES = "updates";

    /** An accepted update: the registry's key, ETag and example count. */
    public record UpdateRef(String id, String key, String etag, long examples) {
    }

    private PartialSum() {
    }

    /** The pieces a partial of {@code shard} holds: how a reader asks a {@link StoredSlice} for them. */
    static List<Piece> pieces(Shard shard) {
        List<Piece> pieces = new ArrayList<>();
        long floats = shard.floatCount();
        long longs = longCount(shard);
        pieces.add(new Piece(TensorSpec.of(SUM, Dtype.F64, floats), 0, floats));
        if (longs > 0) {
            pieces.add(new Piece(TensorSpec.of(MAXIMUM, Dtype.I64, longs), 0, longs));
        }
        return pieces;
    }

    /** A leaf: folds {@code group} (a shard's range of each update) into {@code file}. */
    static void leaf(ObjectStore store, ShardPlan plan, Shard shard, List<UpdateRef> group, long roundTotal, Path file)
            throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            long examples = 0;
            double[] weights = new double[group.size()];
            for (int k = 0; k < group.size(); k++) {
                UpdateRef update = group.get(k);
                slices.add(StoredSlice.open(store, StoredHeader.read(store, update.key()), update.etag(),
                        shard.pieces(), 1, plan.holdsDoubles()));
                weights[k] = update.examples() / (double) roundTotal;
                examples = Math.addExact(examples, update.examples());
            }
            write(file, shard, slices, weights, plan.holdsDoubles(), examples, group.size());
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /** An inner node: adds the partials stored under {@code keys}. */
    static void fold(ObjectStore store, Shard shard, List<String> keys, Path file) throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            long examples = 0;
            int updates = 0;
            for (String key : keys) {
                StoredHeader header = StoredHeader.read(store, key);
                Map<String, String> metadata = header.checked().header().metadata();
                examples = Math.addExact(examples, Long.parseLong(metadata.get(EXAMPLES)));
                updates += Integer.parseInt(metadata.get(UPDATES));
                slices.add(StoredSlice.open(store, header, null, pieces(shard), 1, true));
            }
            double[] ones = new double[keys.size()];
            Arrays.fill(ones, 1.0);
            write(file, shard, slices, ones, true, examples, updates);
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    private static void write(Path file, Shard shard, List<StoredSlice> inputs, double[] weights, boolean doubles,
            long examples, int updates) throws IOException {
        int block = block(shard);
        Fold fold = new Fold(block, doubles);
        write(file, shard, inputs, (sum, from, length) -> fold.fold(inputs, weights, from, length, sum), block,
                examples, updates);
    }

    /** Sums one block of a shard's values into {@code sum[0 … length)}. */
    interface BlockFold {
        void fold(double[] sum, long from, int length) throws IOException;
    }

    /** The block a node folds at a time. */
    static int block(Shard shard) {
        return (int) Math.max(1, Math.min(StreamedModel.BLOCK_VALUES, shard.floatCount()));
    }

    /**
     * Writes a partial: {@code fold}'s sums over the shard's values, block by block, and the element-wise maximum of
     * {@code integers}' integer values; the metadata counts the examples and updates below it.
     */
    static void write(Path file, Shard shard, List<StoredSlice> integers, BlockFold fold, int block, long examples,
            int updates) throws IOException {
        long size = shard.floatCount();
        List<TensorSpec> layout = pieces(shard).stream().map(Piece::tensor).toList();
        Map<String, String> metadata = Map.of(EXAMPLES, Long.toString(examples), UPDATES, Integer.toString(updates));
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, metadata)) {
            double[] sum = new double[block];
            for (long from = 0; from < size; from += block) {
                int length = (int) Math.min(block, size - from);
                fold.fold(sum, from, length);
                writer.writeDoubles(SUM, from, sum, 0, length);
            }
            if (layout.size() > 1) {
                writer.writeLongs(MAXIMUM, maximum(integers));
            }
            writer.finish();
        }
    }

    static long[] maximum(List<StoredSlice> inputs) throws IOException {
        long[] maximum = inputs.get(0).readLongs();
        for (StoredSlice input : inputs.subList(1, inputs.size())) {
            long[] values = input.readLongs();
            for (int i = 0; i < maximum.length; i++) {
                maximum[i] = Math.max(maximum[i], values[i]);
            }
        }
        return maximum;
    }

    private static long longCount(Shard shard) {
        return shard.pieces().stream().filter(p -> !p.floating()).mapToLong(Piece::count).sum();
    }

    /** FedAvg's accumulator, kept in step with it: the same terms, grouped the same way, from the same −0.0. */
    private static final class Fold {
        final float[][] chunks;
        final double[] exact;

        Fold(int block, boolean doubles) {
            chunks = doubles ? new float[0][] : new float[WeightedFold.WIDTH][block];
            exact = doubles ? new double[block] : null;
        }

        void fold(List<StoredSlice> inputs, double[] weights, long from, int length, double[] sum)
                throws IOException {
            Arrays.fill(sum, 0, length, -0.0);
            if (exact != null) {
                for (int k = 0; k < inputs.size(); k++) {
                    inputs.get(k).readDoubles(from, exact, 0, length);
                    WeightedFold.fold(sum, exact, length, weights[k]);
                }
                return;
            }
            int k = 0;
            for (; k + WeightedFold.WIDTH <= inputs.size(); k += WeightedFold.WIDTH) {
                for (int j = 0; j < WeightedFold.WIDTH; j++) {
                    inputs.get(k + j).read(from, chunks[j], 0, length);
                }
                WeightedFold.fold(sum, chunks, weights, k, length);
            }
            for (; k < inputs.size(); k++) {
                inputs.get(k).read(from, chunks[0], 0, length);
                WeightedFold.fold(sum, chunks[0], length, weights[k]);
            }
        }
    }
}
