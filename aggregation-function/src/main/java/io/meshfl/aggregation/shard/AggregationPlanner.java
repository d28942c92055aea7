package io.meshfl.aggregation.shard;

import java.util.Optional;

/**
 * Whether a round fits one invocation, and if not, how to cut it: from the round's size (updates × the model's data
 * bytes) and the function's limit on the bytes one invocation reads ({@code meshfl.aggregation.sharding.*}).
 *
 * <p>A leaf reads its G updates' range of one shard (G × U/S bytes); a node above reads G partials, which hold one
 * double per value (G × 8P/S bytes for P values). S is the smallest shard count that keeps both under the limit,
 * and at most P (a shard holds at least one value). With differential privacy a leaf also reads the global model's
 * range (G + 1 ranges; so does each norm node of the clipping pass); its rounds are sharded like any other. The stitch
 * reads the whole model once (U): a model larger than the limit still needs a stitch that reads it — not split
 * (docs/sharded-aggregation.md).
 */
final class AggregationPlanner {

    /** A sharded round's cut: {@code shards} byte ranges, fan-in {@code fanout}. */
    record Cut(int shards, int fanout) {
    }

    private AggregationPlanner() {
    }

    /**
     * @param updates the round's accepted updates
     * @param updateBytes the model's data section size (every update has the global model's layout)
     * @param values the model's parameter count
     * @return empty when the round fits one invocation
     */
    static Optional<Cut> plan(int updates, long updateBytes, long values, long maxBytesPerInvocation, int fanout) {
        return plan(updates, updateBytes, values, maxBytesPerInvocation, fanout, false);
    }

    /** @param leavesReadGlobal whether a leaf reads the global model's range too (differential privacy's clipping) */
    static Optional<Cut> plan(int updates, long updateBytes, long values, long maxBytesPerInvocation, int fanout,
            boolean leavesReadGlobal) {
        if (maxBytesPerInvocation < 1) {
            throw new IllegalArgumentException("meshfl.aggregation.sharding.max-bytes-per-invocation must be positive, "
                    + "was " + maxBytesPerInvocation);
        }
        if (fanout < 2) {
            throw new IllegalArgumentException("meshfl.aggregation.sharding.fanout must be at least 2, was " + fanout);
        }
        if ((double) updates * updateBytes <= maxBytesPerInvocation) {
            return Optional.empty();
        }
        int leafInputs = Math.min(fanout, updates) + (leavesReadGlobal ? 1 : 0);
        double perShard = Math.max((double) leafInputs * updateBytes, Math.min(fanout, updates) * 8.0 * values);
        long shards = (long) Math.ceil(perShard / maxBytesPerInvocation);
        return Optional.of(new Cut((int) Math.max(1, Math.min(Math.min(shards, values), Integer.MAX_VALUE)), fanout));
    }
}
