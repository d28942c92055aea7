/**
 * Aggregation past one function: a round's model cut into byte-range shards ({@link io.meshfl.core.shard.ShardPlan}),
 * each shard folded through a tree of partial sums ({@link io.meshfl.core.shard.TreePlan},
 * {@link io.meshfl.core.shard.PartialSum}) or, for coordinate-wise strategies, aggregated directly, then stitched into
 * one safetensors file with its SHA-256 ({@link io.meshfl.core.shard.Stitch}).
 *
 * <p>Exactly once per node, and where each part of the guarantee lives:
 * <ul>
 *   <li>a node's identity is its object key ({@link io.meshfl.core.shard.NodeKeys}), under a plan id that hashes every
 *       input (updates with their ETags, strategy, shards, fan-in): another plan never reuses a node's object;</li>
 *   <li>every node is deterministic and publishes with a conditional write (If-None-Match, {@code ConditionalOutput}):
 *       of concurrent or duplicate invocations exactly one object is stored and never replaced; a node whose outputs
 *       all exist does nothing;</li>
 *   <li>a crashed invocation leaves only scratch files: the next invocation of the node (a retried event, the driver
 *       run again) computes it again;</li>
 *   <li>the root checks that its children counted every update and example exactly once before it publishes a
 *       slice; the stitch writes the global model conditionally too.</li>
 * </ul>
 * Krum runs as per-shard partial distances, one selection and per-shard means ({@code KrumShard}); differential
 * privacy as a norm pass of exact partial sums, clip nodes, clipped leaves and the noise once per value at the roots
 * from a seed drawn once per round ({@code ClippingShard}); its privacy accountant is spent once, in the state the
 * stitch writes conditionally (before the model). {@link io.meshfl.core.shard.ShardNodes} lists every node with the objects it reads and writes;
 * {@link io.meshfl.core.shard.ShardedAggregation} runs them on an executor in dependency order (the simulation, the
 * tests), and the aggregation function ({@code io.meshfl.aggregation.shard.TreeNodeEvents}) runs each node in the
 * invocation its last input's object-created event starts. No node claims its work in the registry: a claim would cost
 * a registry round-trip per node to save only duplicate computation, which the conditional write already makes
 * harmless; the registry's compare-and-set and lease guard the round once (its close), and a take-over after that lease
 * re-triggers the nodes a crash left undone.
 */
package io.meshfl.core.shard;
