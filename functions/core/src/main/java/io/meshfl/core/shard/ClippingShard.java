package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.strategy.ClippedFold;
import io.meshfl.core.strategy.kernel.ExactSum;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Differential privacy's clipping in shards. Each update is clipped by its whole-model L2 distance to the global
 * model, so a norm pass comes before any leaf folds: per shard and leaf group, a {@code norm} node reads the group's
 * range of each update and of the global model and writes each update's partial squared distance as an exact sum
 * ({@code squares}, I64, {@link ExactSum#DIGITS} digits per update); per group, a {@code clip} node adds the shards'
 * sums (exact: the norm is the single aggregator's to the last bit, whatever the shards) and writes the clipping
 * factors ({@code factors}, F64); each leaf folds its group's clipped updates ({@link ClippedFold}, FedAvg's fold,
 * weight 1/K). Memory per node: one block of each input and G exact sums.
 */
final class ClippingShard {

    static final String SQUARES = "squares";
    static final String FACTORS = "factors";
    static final String CLIPPED = "clipped";

    private ClippingShard() {
    }

    /** A norm node: the partial squared distances to the global model of {@code group}'s updates over the shard. */
    static void norms(ObjectStore store, ShardPlan plan, Shard shard, List<UpdateRef> group, String globalKey,
            Path file) throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            for (UpdateRef update : group) {
                slices.add(StoredSlice.open(store, StoredHeader.read(store, update.key()), update.etag(),
                        shard.pieces(), 1, plan.holdsDoubles()));
            }
            StoredSlice global = StoredSlice.open(store, StoredHeader.read(store, globalKey), null, shard.pieces(), 1,
                    plan.holdsDoubles());
            slices.add(global);
            ExactSum[] sums = new ExactSum[group.size()];
            Arrays.setAll(sums, k -> new ExactSum());
            int block = PartialSum.block(shard);
            double[] values = new double[block];
            double[] base = new double[block];
            long size = shard.floatCount();
            for (long from = 0; from < size; from += block) {
                ClippedFold.squaredDistances(slices.subList(0, group.size()), global, sums, plan.holdsDoubles(), from,
                        (int) Math.min(block, size - from), values, base);
            }
            try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                    List.of(TensorSpec.of(SQUARES, Dtype.I64, (long) group.size() * ExactSum.DIGITS)),
                    Map.of("shard", Integer.toString(shard.index()), "updates", Integer.toString(group.size())))) {
                long[] digits = new long[group.size() * ExactSum.DIGITS];
                for (int k = 0; k < group.size(); k++) {
                    System.arraycopy(sums[k].digits(), 0, digits, k * ExactSum.DIGITS, ExactSum.DIGITS);
                }
                writer.writeLongs(SQUARES, digits);
                writer.finish();
            }
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /** A clip node: adds every shard's partial squared distances of one group and writes the clipping factors. */
    static void clip(ObjectStore store, List<String> normKeys, int groupSize, double clipNorm, Path scratch, Path file)
            throws IOException {
        ExactSum[] sums = new ExactSum[groupSize];
        Arrays.setAll(sums, k -> new ExactSum());
        for (String key : normKeys) {
            long[] digits = download(store, key, scratch, reader -> reader.readLongs(SQUARES));
            if (digits.length != (long) groupSize * ExactSum.DIGITS) {
                throw new IllegalStateException(key + " holds " + digits.length + " digits, not " + groupSize + " × "
                        + ExactSum.DIGITS);
            }
            for (int k = 0; k < groupSize; k++) {
                sums[k].add(ExactSum.of(Arrays.copyOfRange(digits, k * ExactSum.DIGITS, (k + 1) * ExactSum.DIGITS)));
            }
        }
        double[] factors = new double[groupSize];
        int clipped = 0;
        for (int k = 0; k < groupSize; k++) {
            double norm = Math.sqrt(sums[k].value());
            factors[k] = ClippedFold.factor(norm, clipNorm);
            clipped += norm > clipNorm ? 1 : 0;
        }
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                List.of(TensorSpec.of(FACTORS, Dtype.F64, groupSize)), Map.of(CLIPPED, Integer.toString(clipped)))) {
            writer.writeDoubles(FACTORS, 0, factors, 0, groupSize);
            writer.finish();
        }
    }

    /** A leaf: folds {@code group}'s updates, clipped by the factors its clip node decided, with weight 1/K each. */
    static void leaf(ObjectStore store, ShardPlan plan, Shard shard, List<UpdateRef> group, String clipKey,
            String globalKey, int roundUpdates, Path scratch, Path file) throws IOException {
        double[] factors = download(store, clipKey, scratch, reader -> {
            double[] values = new double[Math.toIntExact(reader.manifest().tensors().get(0).elementCount())];
            reader.readDoubles(FACTORS, 0, values, 0, values.length);
            return values;
        });
        if (factors.length != group.size()) {
            throw new IllegalStateException(clipKey + " holds " + factors.length + " factors for " + group.size()
                    + " updates");
        }
        List<StoredSlice> slices = new ArrayList<>();
        try {
            for (UpdateRef update : group) {
                slices.add(StoredSlice.open(store, StoredHeader.read(store, update.key()), update.etag(),
                        shard.pieces(), 1, plan.holdsDoubles()));
            }
            StoredSlice global = StoredSlice.open(store, StoredHeader.read(store, globalKey), null, shard.pieces(), 1,
                    plan.holdsDoubles());
            List<StoredSlice> updates = List.copyOf(slices);
            slices.add(global);
            int block = PartialSum.block(shard);
            // 1/K as FedAvg computes it for K updates of one example each: n / N.
            ClippedFold fold = new ClippedFold(updates, global, factors, 1 / (double) roundUpdates,
                    plan.holdsDoubles(), block);
            // Every update counts once: DP's mean is unweighted, so a partial's "examples" are its updates.
            PartialSum.write(file, shard, updates, fold::fold, block, group.size(), group.size());
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /** The number of updates a group's clip node clipped. */
    static int clipped(ObjectStore store, String clipKey) throws IOException {
        return Integer.parseInt(StoredHeader.read(store, clipKey).checked().header().metadata().get(CLIPPED));
    }

    private interface Read<T> {
        T from(SafetensorsReader reader) throws IOException;
    }

    private static <T> T download(ObjectStore store, String key, Path scratch, Read<T> read) throws IOException {
        Files.createDirectories(scratch);
        Path local = Files.createTempFile(scratch, "clip-", ".safetensors");
        try {
            store.download(key, local);
            try (SafetensorsReader reader = SafetensorsReader.open(local)) {
                return read.from(reader);
            }
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
