package io.meshfl.aggregation.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.aggregation.AggregationConfig;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.round.RoundCannotBeAggregated;
import io.meshfl.aggregation.round.RoundStrategy;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardNodes;
import io.meshfl.core.shard.ShardNodes.Node;
import io.meshfl.core.shard.ShardedStrategies;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.streaming.StoredHeader;
import io.meshfl.registry.api.AggregationPlan;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A round too large for one invocation, aggregated through events (issue 18): the invocation that wins the round's
 * close plans it here ({@link AggregationPlanner}), writes the tree's {@code plan.json} and one task object per leaf,
 * and records the plan in the round; from then on every object of the tree triggers the node it completes
 * ({@link TreeNodeEvents}) — a leaf's task object runs the leaf, a partial runs its parent once all the parent's
 * children exist, a shard's slice runs the stitch once every shard's does; an object that completes several nodes at
 * once (Krum's selection) writes their task objects instead, one invocation each — and the stitch's invocation
 * completes the round in the registry.
 *
 * <p>Exactly once per node without a claim: each node is deterministic and stores its outputs with a conditional
 * write, so duplicate and concurrent invocations may compute twice but leave one object, never replaced (see
 * {@code io.meshfl.core.shard}). Crashes: an invocation that dies wrote nothing (or whole objects); nothing
 * re-triggers it by itself, so the round's lease does: the round stays AGGREGATING under the closer's lease, and once
 * it expires the sweeper (or the next event) takes the round over and {@link #start} runs again, which re-triggers
 * every node whose inputs exist and whose outputs do not (a fresh task object, so a fresh event).
 */
@ApplicationScoped
public class TreeRounds {

    private static final Logger LOG = Logger.getLogger(TreeRounds.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final ObjectStore store;
    private final RegistryClient registry;
    private final AggregationConfig config;
    private final TreeObjects objects;

    TreeRounds(ObjectStore store, RegistryClient registry, AggregationConfig config, TreeObjects objects) {
        this.store = store;
        this.registry = registry;
        this.config = config;
        this.objects = objects;
    }

    /** What {@link #start} did: nothing (one invocation aggregates the round), the tree started, or it was done. */
    public sealed interface Start {
        record OneInvocation(String reason) implements Start {
        }

        record Started(String planId, int triggered) implements Start {
        }

        record Done(Completion completion) implements Start {
        }
    }

    /**
     * Called by the winner of the round's close (or of a takeover). Plans the round; if it fits one invocation (or its
     * strategy cannot be sharded) says so, and the caller aggregates it as before. Otherwise writes the plan, records
     * it in the round, and triggers every node that can run and has not produced its outputs; if the stitch's model
     * is already published, reports it for completion.
     */
    public Start start(RoundView round, List<UpdateView> accepted, Instant leaseUntil, PhaseTimes times) {
        try {
            return plan(round, accepted, leaseUntil, times);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Start plan(RoundView round, List<UpdateView> accepted, Instant leaseUntil, PhaseTimes times)
            throws IOException {
        Strategy strategy = RoundStrategy.of(round);
        try {
            ShardedStrategies.kind(strategy);
        } catch (InvalidStrategyException e) {
            return new Start.OneInvocation(e.getMessage());
        }
        // The stored file's size bounds its data section: most rounds are decided by one HEAD.
        long fileBytes = store.head(round.globalModelKey()).map(StoredObject::size).orElse(0L);
        if ((double) accepted.size() * fileBytes <= config.shardingMaxBytesPerInvocation()) {
            return new Start.OneInvocation("the round's updates fit one invocation");
        }
        ModelManifest manifest;
        try {
            manifest = ModelManifest.of(StoredHeader.read(store, round.globalModelKey()).checked().header());
        } catch (IOException | RuntimeException e) {
            // The single aggregator reads the global model too, and gives a missing or broken one its verdict.
            return new Start.OneInvocation("the global model's header cannot be read: " + e.getMessage());
        }
        long updateBytes = manifest.tensors().stream().mapToLong(t -> t.byteSize()).sum();
        Optional<AggregationPlanner.Cut> cut = AggregationPlanner.plan(accepted.size(), updateBytes,
                manifest.parameterCount(), config.shardingMaxBytesPerInvocation(), config.shardingFanout(),
                strategy instanceof DifferentialPrivacy);
        if (cut.isEmpty()) {
            return new Start.OneInvocation("the round's updates fit one invocation");
        }
        List<UpdateRef> updates = accepted.stream().sorted(Comparator.comparing(UpdateView::domain))
                .map(u -> new UpdateRef(u.domain(), u.objectKey(), u.etag(), u.numExamples())).toList();
        int base = ObjectKeys.globalModelVersion(round.model(), round.globalModelKey()).orElse(round.number());
        String previous = ObjectKeys.strategyState(round.model(), base);
        String previousState = store.head(previous).isPresent() ? previous : null;
        TreeRound tree = new TreeRound(round.roundId(), round.model(), round.number(), round.globalModelKey(),
                previousState,
                ObjectKeys.globalModel(round.model(), round.number() + 1),
                ObjectKeys.strategyState(round.model(), round.number() + 1), round.strategy(), round.policy(),
                cut.get().shards(), cut.get().fanout(), updates, noiseSeed(strategy, previousState));
        ShardNodes nodes = ShardNodes.of(store, tree.toRound(strategy.name()), strategy, tree.shards(),
                tree.fanout());
        String prefix = nodes.keys().prefix();
        times.time(Phase.WRITE, () -> putIfAbsent(prefix + TreeObjects.PLAN, JSON.writeValueAsBytes(tree)));
        AggregationPlan plan = new AggregationPlan(nodes.planId(), tree.shards(), tree.fanout(), nodes.depth(),
                nodes.nodes().size(), updates.size(), updateBytes);
        try {
            times.time(Phase.REGISTRY, () -> registry.recordPlan(round.roundId(), plan, leaseUntil));
        } catch (RuntimeException e) {
            // The record is for people (GET /rounds/{id}, the dashboard); the nodes read plan.json. A 409 here: a
            // take-over holds the round now, and its plan is the one recorded.
            LOG.warnf("Round %d of %s: recording plan %s failed (%s); aggregating anyway", round.number(),
                    round.model(), plan, e.getMessage());
        }
        Optional<Completion> done = objects.completion(tree, nodes);
        if (done.isPresent()) {
            return new Start.Done(done.get());
        }
        int triggered = 0;
        for (Node node : nodes.nodes()) {
            if (!objects.exist(node.outputs()) && objects.exist(node.inputs())) {
                times.time(Phase.WRITE, () -> objects.trigger(prefix, node));
                triggered++;
            }
        }
        LOG.infof("Round %d of %s aggregates in shards: %s; %d nodes triggered", round.number(), round.model(), plan,
                triggered);
        return new Start.Started(nodes.planId(), triggered);
    }

    /**
     * Differential privacy: refuses the round at its close, as the single aggregator would before reading anything,
     * if the state it continues from is another strategy's or the round would spend more than the ε budget (the
     * state's scalars suffice: one header read); otherwise draws the round's one secret noise seed.
     */
    private Long noiseSeed(Strategy strategy, String previousState) throws IOException {
        if (!(strategy instanceof DifferentialPrivacy dp)) {
            return null;
        }
        ServerState previous = previousState == null ? ServerState.empty()
                : new ServerState(StoredHeader.read(store, previousState).checked().header().metadata(), Map.of());
        try {
            dp.spend(previous.requireStrategy(dp.name(), 0));
        } catch (CannotAggregate e) {
            throw new RoundCannotBeAggregated("strategy '" + dp.name() + "': " + e.getMessage());
        }
        return dp.newNoiseSeed();
    }

    private Void putIfAbsent(String key, byte[] content) throws IOException {
        Path file = Files.createTempFile(config.workDir(), "plan-", ".json");
        try {
            Files.write(file, content);
            store.putIfAbsent(key, file, Map.of());
            return null;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
