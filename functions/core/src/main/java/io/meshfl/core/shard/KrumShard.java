package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardPlan.Piece;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.strategy.Krum;
import io.meshfl.core.strategy.kernel.PairwiseDistances;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Krum and Multi-Krum in shards. A squared distance is a sum over coordinates: each shard's {@code distances} node
 * reads its range of all K updates and writes the K × K partial squared distances (F64, row-major, {@code distances})
 * with the element-wise maximum of its integer values ({@code maximum}: the counters' rule takes every update, not
 * only the selected); the {@code select} node adds the shards' matrices in shard order and asks the strategy which
 * updates it keeps ({@link Krum#select}); each shard's {@code mean} node takes FedAvg's mean of the kept updates over
 * its range, as the single aggregator's Krum does over the whole model.
 */
final class KrumShard {

    static final String DISTANCES = "distances";
    static final String MAXIMUM = "maximum";
    static final String SELECTED = "selected";

    private KrumShard() {
    }

    static void distances(ObjectStore store, ShardPlan plan, Shard shard, List<UpdateRef> updates, int lanes, Path file)
            throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            for (UpdateRef update : updates) {
                slices.add(StoredSlice.open(store, StoredHeader.read(store, update.key()), update.etag(),
                        shard.pieces(), lanes, plan.holdsDoubles()));
            }
            int count = updates.size();
            double[][] sums = new double[count][count];
            int block = slices.stream().mapToInt(StoredSlice::maxBlock).min().orElseThrow();
            float[][] rows = new float[count][block];
            long size = shard.floatCount();
            for (long from = 0; from < size; from += block) {
                int length = (int) Math.min(block, size - from);
                for (int k = 0; k < count; k++) {
                    slices.get(k).read(from, rows[k], 0, length);
                }
                PairwiseDistances.accumulate(sums, rows, count, length);
            }
            long integers = shard.pieces().stream().filter(p -> !p.floating()).mapToLong(Piece::count).sum();
            List<TensorSpec> layout = new ArrayList<>(List.of(TensorSpec.of(DISTANCES, Dtype.F64, (long) count * count)));
            if (integers > 0) {
                layout.add(TensorSpec.of(MAXIMUM, Dtype.I64, integers));
            }
            try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout,
                    Map.of("shard", Integer.toString(shard.index()), "updates", Integer.toString(count)))) {
                for (int i = 0; i < count; i++) {
                    writer.writeDoubles(DISTANCES, (long) i * count, sums[i], 0, count);
                }
                if (integers > 0) {
                    writer.writeLongs(MAXIMUM, PartialSum.maximum(slices));
                }
                writer.finish();
            }
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /** Sums the shards' partial distances (in shard order) and writes the kept updates' indices, best first. */
    static void select(ObjectStore store, List<String> distanceKeys, Krum krum, List<UpdateRef> updates, Path scratch,
            Path file) throws IOException {
        int count = updates.size();
        double[][] sums = new double[count][count];
        double[] row = new double[count];
        for (String key : distanceKeys) {
            Path local = Files.createTempFile(scratch, "distances-", ".safetensors");
            try {
                store.download(key, local);
                try (SafetensorsReader reader = SafetensorsReader.open(local)) {
                    for (int i = 0; i < count; i++) {
                        reader.readDoubles(DISTANCES, (long) i * count, row, 0, count);
                        for (int j = 0; j < count; j++) {
                            sums[i][j] += row[j];
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(local);
            }
        }
        List<Integer> selected = krum.select(sums, updates.stream().map(UpdateRef::id).toList());
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                List.of(TensorSpec.of(SELECTED, Dtype.I64, selected.size())),
                Map.of("selected", String.join(",", selected.stream().map(i -> updates.get(i).id()).toList())))) {
            writer.writeLongs(SELECTED, selected.stream().mapToLong(Integer::longValue).toArray());
            writer.finish();
        }
    }

    /** The kept updates, in the order the selection lists them. */
    static List<UpdateRef> selected(ObjectStore store, String selectionKey, List<UpdateRef> updates, Path scratch)
            throws IOException {
        Path local = Files.createTempFile(scratch, "selection-", ".safetensors");
        try {
            store.download(selectionKey, local);
            try (SafetensorsReader reader = SafetensorsReader.open(local)) {
                List<UpdateRef> kept = new ArrayList<>();
                for (long index : reader.readLongs(SELECTED)) {
                    kept.add(updates.get(Math.toIntExact(index)));
                }
                return kept;
            }
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /** The integer maxima a shard's distances node recorded (empty when the shard holds no integer values). */
    static long[] maxima(ObjectStore store, String distancesKey, Shard shard, Path scratch) throws IOException {
        boolean integers = shard.pieces().stream().anyMatch(p -> !p.floating());
        if (!integers) {
            return new long[0];
        }
        Path local = Files.createTempFile(scratch, "distances-", ".safetensors");
        try {
            store.download(distancesKey, local);
            try (SafetensorsReader reader = SafetensorsReader.open(local)) {
                return reader.readLongs(MAXIMUM);
            }
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
