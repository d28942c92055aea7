/**
 * Rounds too large for one invocation, aggregated through object-store events (issue 18,
 * docs/sharded-aggregation.md). Where each part of "exactly once per node, one global model per round" lives:
 * <ul>
 *   <li>the round: the registry's compare-and-set close and its lease ({@code RoundCloser}) — one invocation plans
 *       the round ({@link io.meshfl.aggregation.shard.AggregationPlanner}), writes the tree's {@code plan.json}
 *       conditionally and the leaves' task objects, and records the plan in the round;</li>
 *   <li>a node: its key and core's conditional write ({@code io.meshfl.core.shard}) — any number of deliveries of an
 *       object that completes a node may run it; one object is stored, never replaced. No registry claim per node:
 *       it would cost a registry round-trip on every invocation to save only duplicate computation;</li>
 *   <li>a crash: nothing re-triggers a node whose invocation died, so the round's lease does — after it, the sweeper
 *       (or any event of the round) takes the round over, and {@link io.meshfl.aggregation.shard.TreeRounds#start}
 *       re-plans the same tree (the plan id hashes values only) and writes a fresh task object for every node whose
 *       inputs exist and whose outputs do not;</li>
 *   <li>the global model: the stitch's conditional write; the round's completion in the registry is idempotent, so
 *       every stitch invocation may report it, and a take-over reports a model a dead stitch already published.</li>
 * </ul>
 */
package io.meshfl.aggregation.shard;
