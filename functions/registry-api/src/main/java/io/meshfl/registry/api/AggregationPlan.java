package io.meshfl.registry.api;

/**
 * How a round is aggregated, as the aggregation function planned it at the close and recorded it in the round
 * ({@code POST /rounds/{id}/plan}; {@code aggregationPlan} of a round, absent for a round aggregated by one
 * invocation). {@code shards} byte-range shards of the model, each folded through a tree of partial sums with fan-in
 * {@code fanout} and {@code depth} levels (the root included; 1 for a shard-parallel strategy such as median), then
 * one stitch: {@code invocations} in all. {@code planId} names the tree's objects
 * ({@code models/{m}/tmp/{r}-tree-{planId}/}); {@code updates} × {@code updateBytes} is the round's size that made it
 * sharded. Written by the function, shown in the dashboard; the registry only keeps it.
 */
public record AggregationPlan(String planId, int shards, int fanout, int depth, int invocations, int updates,
        long updateBytes) {
}
