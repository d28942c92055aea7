package io.meshfl.aggregation.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.aggregation.AggregationConfig;
import io.meshfl.aggregation.ObjectReport;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.round.RoundAggregation;
import io.meshfl.aggregation.round.RoundCannotBeAggregated;
import io.meshfl.aggregation.round.RoundStrategy;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
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
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A round too large for one invocation, aggregated through events (issue 18): the invocation that wins the round's
 * close plans it ({@link AggregationPlanner}), writes the tree's {@code plan.json} and one task object per leaf, and
 * records the plan in the round; from then on every object of the tree triggers the node it completes — a leaf's
 * task object runs the leaf, a partial runs its parent once all the parent's children exist, a shard's slice runs the
 * stitch once every shard's does; an object that completes several nodes at once (Krum's selection) writes their
 * task objects instead, one invocation each — and the stitch's invocation completes the round in the registry.
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
    /** {@code models/{m}/tmp/{version}-tree-{plan}/{rest}}: {@link ObjectKeys#aggregationTree}. */
    private static final Pattern TREE_KEY = Pattern.compile("^(models/[^/]+/tmp/\\d+-tree-[0-9a-f]+/)(.+)$");
    private static final String PLAN = "plan.json";
    private static final String TASKS = "tasks/";

    private final ObjectStore store;
    private final RegistryClient registry;
    private final AggregationConfig config;
    private final int lanes = Runtime.getRuntime().availableProcessors();

    TreeRounds(ObjectStore store, RegistryClient registry, AggregationConfig config) {
        this.store = store;
        this.registry = registry;
        this.config = config;
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
        times.time(Phase.WRITE, () -> putIfAbsent(prefix + PLAN, JSON.writeValueAsBytes(tree)));
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
        Optional<Completion> done = completion(tree, nodes);
        if (done.isPresent()) {
            return new Start.Done(done.get());
        }
        int triggered = 0;
        for (Node node : nodes.nodes()) {
            if (!exist(node.outputs()) && exist(node.inputs())) {
                times.time(Phase.WRITE, () -> trigger(prefix, node));
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

    /**
     * An object of a tree was created: runs the node it completes, if any (a leaf for its task, a fold or root once
     * all its children exist, the stitch once every slice does), and completes the round after the stitch.
     */
    public ObjectReport onTreeObject(ObjectCreated object, PhaseTimes times) {
        Matcher key = TREE_KEY.matcher(object.key());
        if (!key.matches()) {
            throw new IllegalArgumentException("not a tree key: " + object.key());
        }
        String prefix = key.group(1);
        String rest = key.group(2);
        try {
            if (rest.equals(PLAN) || store.head(prefix + PLAN).isEmpty()) {
                return report(object, ObjectReport.Outcome.IGNORED, rest.equals(PLAN) ? "a tree's plan" : "no plan");
            }
            TreeRound tree = JSON.readValue(times.time(Phase.READ, () -> store.read(prefix + PLAN)), TreeRound.class);
            try {
                return runNodes(object, prefix, rest, tree, times);
            } catch (RoundCannotBeAggregated | CannotAggregate | SafetensorsFormatException e) {
                return fail(object, tree, e, times);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof SafetensorsFormatException broken) {
                    return fail(object, tree, broken, times);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node no retry can run fails its round, with the reason: an update replaced after the round closed (its ETag is
     * not the one the registry recorded), a strategy the round cannot use, a stored object that is not safetensors.
     * Without this the event would be retried until it dead-letters and every take-over would re-trigger the same
     * node, leaving the round AGGREGATING for ever. Transient failures (I/O, the registry) still propagate: the event
     * is retried. The node wrote nothing, so nothing downstream of it runs and no model is published.
     */
    private ObjectReport fail(ObjectCreated object, TreeRound tree, Exception cause, PhaseTimes times) {
        String reason = "sharded aggregation of round " + tree.number() + ": " + cause.getMessage();
        LOG.errorf("Round %d of %s cannot be aggregated: %s", tree.number(), tree.model(), reason);
        try {
            times.time(Phase.REGISTRY, () -> registry.fail(tree.roundId(), reason));
        } catch (RegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // The round ended already (completed, or failed by governance): the registry's verdict stands.
            LOG.warnf("Round %d of %s: failing it was refused: %s", tree.number(), tree.model(), e.getMessage());
        }
        return report(object, ObjectReport.Outcome.NODE, "the round failed: " + reason);
    }

    private ObjectReport runNodes(ObjectCreated object, String prefix, String rest, TreeRound tree, PhaseTimes times)
            throws IOException {
        Strategy strategy = RoundStrategy.of(tree.model(), tree.strategy(), tree.policy());
        ShardNodes nodes = ShardNodes.of(store, tree.toRound(strategy.name()), strategy, tree.shards(),
                tree.fanout());
        List<Node> candidates = rest.startsWith(TASKS)
                ? nodes.node(rest.substring(TASKS.length())).map(List::of).orElse(List.of())
                : nodes.consumers(object.key());
        List<String> ran = new ArrayList<>();
        List<Node> ready = new ArrayList<>();
        for (Node node : candidates) {
            if (exist(node.inputs())) {
                ready.add(node);
            } else {
                ran.add(node.name() + ": waiting for its other inputs");
            }
        }
        if (ready.size() > 1) {
            // One object completed several nodes (Krum's selection: every shard's mean): one invocation each,
            // through their task objects, as for the leaves.
            for (Node node : ready) {
                times.time(Phase.WRITE, () -> trigger(prefix, node));
                ran.add(node.name() + ": triggered");
            }
            ready.clear();
        }
        String completed = null;
        for (Node node : ready) {
            var invocation = times.time(Phase.AGGREGATE, () -> nodes.run(store, node,
                    config.workDir().resolve("meshfl-tree"), lanes));
            ran.add(node.name() + ": " + invocation.outcome());
            if (node.kind() == ShardNodes.Kind.STITCH) {
                Optional<Completion> completion = completion(tree, nodes);
                if (completion.isPresent()) {
                    complete(tree, completion.get(), times);
                    completed = completion.get().globalModelKey();
                }
            }
        }
        ObjectReport report = report(object, ObjectReport.Outcome.NODE,
                ran.isEmpty() ? "no node reads it" : String.join("; ", ran));
        return completed == null ? report : report.aggregatedInto(completed);
    }

    private void complete(TreeRound tree, Completion completion, PhaseTimes times) {
        try {
            times.time(Phase.REGISTRY, () -> registry.complete(tree.roundId(), completion));
            LOG.infof("Round %d of %s completed in shards: %s", tree.number(), tree.model(),
                    completion.globalModelKey());
        } catch (RegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // Failed by governance meanwhile, or completed with another result: the registry's verdict stands.
            LOG.warnf("Round %d of %s: completion refused: %s", tree.number(), tree.model(), e.getMessage());
        }
    }

    /** The completion to report if the stitch's model is in place and was aggregated from this round's updates. */
    private Optional<Completion> completion(TreeRound tree, ShardNodes nodes) throws IOException {
        if (store.head(tree.outputKey()).isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> metadata = StoredHeader.read(store, tree.outputKey()).checked().header().metadata();
        if (!String.join(",", tree.domains()).equals(metadata.get(RoundAggregation.AGGREGATED_FROM))
                || !Integer.toString(tree.number() + 1).equals(metadata.get(RoundAggregation.ROUND))) {
            return Optional.empty();
        }
        boolean stateful = nodes.stitch().outputs().contains(tree.stateOutputKey())
                && store.head(tree.stateOutputKey()).isPresent();
        return Optional.of(new Completion(tree.outputKey(), metadata.get(RoundAggregation.SHA256), tree.domains(),
                stateful ? tree.stateOutputKey() : null));
    }

    private boolean exist(List<String> keys) {
        return keys.stream().allMatch(k -> store.head(k).isPresent());
    }

    /**
     * A fresh task object for {@code node}: its created event runs the node. Unconditional and with unique content, so
     * a re-trigger after a crash is a new object version with a new event (a task is a trigger, never a result).
     */
    private Void trigger(String prefix, Node node) {
        String task = "{\"node\":\"" + node.name() + "\",\"trigger\":\"" + UUID.randomUUID() + "\"}";
        store.put(prefix + TASKS + node.name(), task.getBytes(StandardCharsets.UTF_8), Map.of());
        return null;
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

    private static ObjectReport report(ObjectCreated object, ObjectReport.Outcome outcome, String detail) {
        return new ObjectReport(object.key(), object.etag(), outcome, detail);
    }
}
