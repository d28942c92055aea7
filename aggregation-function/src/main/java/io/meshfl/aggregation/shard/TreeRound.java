package io.meshfl.aggregation.shard;

import io.meshfl.aggregation.round.RoundAggregation;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardedAggregation;
import io.meshfl.registry.api.RoundView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every node of a sharded round needs to know, written once by the invocation that closed the round as the
 * tree's {@code plan.json}: the round, its strategy and policy as the registry gave them at the close, the accepted
 * updates in the single aggregator's order (by domain) with the ETags the registry recorded, and the cut. A node reads
 * it instead of asking the registry: no registry round-trip per node. {@code noiseSeed}: differential privacy's noise
 * seed, drawn once at the close (null without DP) so that every root adds the noise of the same seed. It is as secret
 * as the tree's partial sums, which hold the clipped updates' sum before the noise: both live under the round's
 * {@code tmp/} prefix, which only the aggregation function and the sweeper may read.
 */
@RegisterForReflection(targets = {TreeRound.class, UpdateRef.class, RoundView.StrategySpec.class,
        RoundView.Policy.class, RoundView.DifferentialPrivacy.class, RoundView.Staleness.class})
public record TreeRound(long roundId, String model, int number, String globalKey, String stateKey, String outputKey,
        String stateOutputKey, RoundView.StrategySpec strategy, RoundView.Policy policy, int shards, int fanout,
        List<UpdateRef> updates, Long noiseSeed) {

    public TreeRound {
        updates = List.copyOf(updates);
    }

    List<String> domains() {
        return updates.stream().map(UpdateRef::id).toList();
    }

    /** Core's view of the round; the stitched model's metadata is the single aggregator's keys. */
    ShardedAggregation.Round toRound(String strategyName) {
        return new ShardedAggregation.Round(model, number + 1, globalKey, stateKey, updates, outputKey, stateOutputKey,
                noiseSeed, sha256 -> {
                    Map<String, String> metadata = new LinkedHashMap<>();
                    metadata.put(RoundAggregation.MODEL, model);
                    metadata.put(RoundAggregation.ROUND, Integer.toString(number + 1));
                    metadata.put(RoundAggregation.AGGREGATED_FROM, String.join(",", domains()));
                    metadata.put(RoundAggregation.STRATEGY, strategyName);
                    metadata.put(RoundAggregation.SHA256, sha256);
                    metadata.put("aggregation", shards + " shards, fan-in " + fanout);
                    return metadata;
                });
    }
}
