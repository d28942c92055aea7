package io.meshfl.core.shard;

import io.meshfl.core.keys.ObjectKeys;

/**
 * The object every node of one sharded aggregation writes, under {@link ObjectKeys#aggregationTree}. A node's key is
 * its identity: two invocations of the same node race for the same key, and the store's conditional write lets
 * exactly one object exist.
 */
public record NodeKeys(String prefix) {

    public static NodeKeys of(String model, int version, String planId) {
        return new NodeKeys(ObjectKeys.aggregationTree(model, version, planId));
    }

    /** The partial sum node {@code index} of tree level {@code level} writes for shard {@code shard}. */
    public String partial(int shard, int level, int index) {
        return prefix + "s" + shard + "/l" + level + "-" + index + ".safetensors";
    }

    /** Shard {@code shard}'s slice of the next global model. */
    public String shardModel(int shard) {
        return prefix + "s" + shard + "/model.safetensors";
    }

    /** Shard {@code shard}'s K × K partial squared distances between the updates (Krum), and its integer maxima. */
    public String distances(int shard) {
        return prefix + "s" + shard + "/distances.safetensors";
    }

    /** The updates Krum keeps, best first (from the sum of every shard's partial distances). */
    public String selection() {
        return prefix + "selection.safetensors";
    }

    /** Shard {@code shard}'s partial squared distances to the global model of leaf group {@code group}'s updates (DP). */
    public String norms(int shard, int group) {
        return prefix + "s" + shard + "/norm-" + group + ".safetensors";
    }

    /** The clipping factors of leaf group {@code group}'s updates, from every shard's partial norms (DP). */
    public String clip(int group) {
        return prefix + "clip-" + group + ".safetensors";
    }

    /** Shard {@code shard}'s slice of the next server state (stateful strategies). */
    public String shardState(int shard) {
        return prefix + "s" + shard + "/state.safetensors";
    }
}
