package io.meshfl.aggregation.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.aggregation.AggregationConfig;
import io.meshfl.aggregation.ObjectReport;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.round.RoundCannotBeAggregated;
import io.meshfl.aggregation.round.RoundStrategy;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.shard.ShardNodes;
import io.meshfl.core.shard.ShardNodes.Node;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import org.jboss.logging.Logger;

/**
 * An object of a round's tree was created ({@link TreeRounds} started the tree): runs the node it completes — a leaf
 * for its task object, a fold or root once all its children exist, the stitch once every shard's slice does — and
 * completes the round in the registry after the stitch. A node no retry can run fails the round.
 */
@ApplicationScoped
public class TreeNodeEvents {

    private static final Logger LOG = Logger.getLogger(TreeNodeEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final ObjectStore store;
    private final RegistryClient registry;
    private final AggregationConfig config;
    private final TreeObjects objects;
    private final int lanes = Runtime.getRuntime().availableProcessors();

    TreeNodeEvents(ObjectStore store, RegistryClient registry, AggregationConfig config, TreeObjects objects) {
        this.store = store;
        this.registry = registry;
        this.config = config;
        this.objects = objects;
    }

    /**
     * An object of a tree was created: runs the node it completes, if any (a leaf for its task, a fold or root once
     * all its children exist, the stitch once every slice does), and completes the round after the stitch.
     */
    public ObjectReport onTreeObject(ObjectCreated object, PhaseTimes times) {
        Matcher key = TreeObjects.TREE_KEY.matcher(object.key());
        if (!key.matches()) {
            throw new IllegalArgumentException("not a tree key: " + object.key());
        }
        String prefix = key.group(1);
        String rest = key.group(2);
        try {
            String plan = prefix + TreeObjects.PLAN;
            if (rest.equals(TreeObjects.PLAN) || store.head(plan).isEmpty()) {
                return report(object, ObjectReport.Outcome.IGNORED,
                        rest.equals(TreeObjects.PLAN) ? "a tree's plan" : "no plan");
            }
            TreeRound tree = JSON.readValue(times.time(Phase.READ, () -> store.read(plan)), TreeRound.class);
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
        List<Node> candidates = rest.startsWith(TreeObjects.TASKS)
                ? nodes.node(rest.substring(TreeObjects.TASKS.length())).map(List::of).orElse(List.of())
                : nodes.consumers(object.key());
        List<String> ran = new ArrayList<>();
        List<Node> ready = new ArrayList<>();
        for (Node node : candidates) {
            if (objects.exist(node.inputs())) {
                ready.add(node);
            } else {
                ran.add(node.name() + ": waiting for its other inputs");
            }
        }
        if (ready.size() > 1) {
            // One object completed several nodes (Krum's selection: every shard's mean): one invocation each,
            // through their task objects, as for the leaves.
            for (Node node : ready) {
                times.time(Phase.WRITE, () -> objects.trigger(prefix, node));
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
                Optional<Completion> completion = objects.completion(tree, nodes);
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

    private static ObjectReport report(ObjectCreated object, ObjectReport.Outcome outcome, String detail) {
        return new ObjectReport(object.key(), object.etag(), outcome, detail);
    }
}
