package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.ShardPlan.Piece;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shard's slice of a stored server state ({@code ServerStateFile}: one F32 tensor of the model's flat length per
 * vector, scalars in the metadata), read with ranged GETs of the shard's values only. The optimisers' steps are
 * coordinate-wise, so a shard's state slice is all its root needs.
 */
final class ShardState {

    private ShardState() {
    }

    /** The slice, or the empty state when there is none yet ({@code key} null or absent: the first round). */
    static ServerState read(ObjectStore store, String key, Shard shard, int lanes) throws IOException {
        if (key == null || store.head(key).isEmpty()) {
            return ServerState.empty();
        }
        StoredHeader header = StoredHeader.read(store, key);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        int count = Math.toIntExact(shard.floatCount());
        for (TensorInfo tensor : header.checked().header().tensors()) {
            TensorSpec whole = TensorSpec.of(tensor.name(), Dtype.F32, tensor.elementCount());
            try (StoredSlice slice = StoredSlice.open(store, header, null,
                    List.of(new Piece(whole, shard.flatFrom(), count)), lanes, false)) {
                float[] values = new float[count];
                int block = slice.maxBlock();
                for (int from = 0; from < count; from += block) {
                    slice.read(from, values, from, Math.min(block, count - from));
                }
                vectors.put(tensor.name(), values);
            }
        }
        return new ServerState(header.checked().header().metadata(), vectors);
    }
}
