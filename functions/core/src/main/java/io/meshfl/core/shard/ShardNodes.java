package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.shard.ShardedAggregation.Invocation;
import io.meshfl.core.shard.ShardedAggregation.Round;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.Stitch.Segment;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.core.strategy.Krum;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every node of one sharded aggregation, each with the objects it reads and the objects it writes: what an
 * event-driven caller needs to run exactly the node an object completes. A node runs only from stored objects (its
 * inputs) and writes only its outputs, conditionally ({@link ConditionalOutput}); which node an object feeds, and
 * whether all of that node's inputs exist, is a question about keys, answered here.
 *
 * <p>Nodes, in dependency order: per shard the leaves (level 0, updates in), the folds of the levels above (partials
 * in), the root (the top level's partials, the global model and the server state in; the shard's slice out) — or,
 * for a coordinate-wise strategy, one {@code direct} node per shard (every update in); or, for Krum, a
 * {@code distances} node per shard, one {@code select}, a {@code mean} node per shard ({@link KrumShard}); with
 * differential privacy, first a {@code norm} node per shard and leaf group and a {@code clip} node per group, which the
 * group's leaves read ({@link ClippingShard}) — then the {@code stitch} (every shard's slice in; the next global model
 * out, and the next server state, written before the model as the single aggregator writes them).
 */
public final class ShardNodes {

    public enum Kind { NORM, CLIP, LEAF, FOLD, ROOT, DIRECT, DISTANCES, SELECT, MEAN, STITCH }

    /**
     * One node. {@code name}: {@code s{shard}/l{level}-{index}}, {@code s{shard}/root}, {@code s{shard}/direct} or
     * {@code stitch}. {@code inputs}: the objects that must exist before it runs (updates, partials, slices; not the
     * global model and state, which exist before the round closes).
     */
    public record Node(String name, Kind kind, int shard, int level, int index, List<String> inputs,
            List<String> outputs) {
        public Node {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    private final Round round;
    private final Strategy strategy;
    private final ShardedStrategies.Kind kind;
    private final ShardPlan plan;
    private final TreePlan tree;
    private final int fanout;
    private final String planId;
    private final NodeKeys keys;
    private final long examples;
    private final boolean stateful;
    /** The differential privacy around the strategy, or null. */
    private final DifferentialPrivacy privacy;
    /** The one noise seed every root of this aggregation adds the noise of (DP only). */
    private final long noiseSeed;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byName = new LinkedHashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();

    private ShardNodes(Round round, Strategy strategy, ShardPlan plan, int fanout) {
        this.kind = ShardedStrategies.kind(strategy);
        this.round = round;
        this.strategy = strategy;
        this.plan = plan;
        this.fanout = fanout;
        this.privacy = strategy instanceof DifferentialPrivacy dp ? dp : null;
        this.noiseSeed = privacy == null ? 0 : round.noiseSeed() != null ? round.noiseSeed() : privacy.newNoiseSeed();
        long total = totalExamples(round.updates());
        // DP's mean is unweighted: every update counts once, so the partials count updates as their examples.
        this.examples = privacy == null ? total : round.updates().size();
        this.tree = kind == ShardedStrategies.Kind.TREE || kind == ShardedStrategies.Kind.CLIPPED_TREE
                ? TreePlan.of(round.updates().size(), fanout) : null;
        this.planId = ShardedAggregation.planId(round, strategy, plan, fanout);
        this.keys = NodeKeys.of(round.model(), round.version(), planId);
        this.stateful = strategy.readsGlobalModel() && round.stateOutputKey() != null;
        build();
    }

    /**
     * The nodes of {@code round} cut into {@code shards} with fan-in {@code fanout}; reads the global model's header.
     *
     * @throws io.meshfl.core.strategy.InvalidStrategyException for a strategy that cannot be sharded exactly
     */
    public static ShardNodes of(ObjectStore store, Round round, Strategy strategy, int shards, int fanout)
            throws IOException {
        ModelManifest manifest = ModelManifest.of(StoredHeader.read(store, round.globalKey()).checked().header());
        return new ShardNodes(round, strategy, ShardPlan.cut(manifest, shards), fanout);
    }

    private void build() {
        if (kind == ShardedStrategies.Kind.CLIPPED_TREE) {
            int groups = tree.widths().get(0);
            for (Shard shard : plan.shards()) {
                for (int group = 0; group < groups; group++) {
                    add(new Node("s" + shard.index() + "/norm-" + group, Kind.NORM, shard.index(), 0, group,
                            groupKeys(group), List.of(keys.norms(shard.index(), group))));
                }
            }
            for (int group = 0; group < groups; group++) {
                int g = group;
                add(new Node("clip-" + group, Kind.CLIP, -1, 1, group,
                        plan.shards().stream().map(shard -> keys.norms(shard.index(), g)).toList(),
                        List.of(keys.clip(group))));
            }
        }
        List<String> slices = new ArrayList<>();
        for (Shard shard : plan.shards()) {
            int s = shard.index();
            List<String> outputs = stateful ? List.of(keys.shardModel(s), keys.shardState(s))
                    : List.of(keys.shardModel(s));
            slices.addAll(outputs);
            if (kind == ShardedStrategies.Kind.DIRECT) {
                add(new Node("s" + s + "/direct", Kind.DIRECT, s, 0, 0,
                        round.updates().stream().map(UpdateRef::key).toList(), outputs));
                continue;
            }
            if (kind == ShardedStrategies.Kind.KRUM) {
                add(new Node("s" + s + "/distances", Kind.DISTANCES, s, 0, 0,
                        round.updates().stream().map(UpdateRef::key).toList(), List.of(keys.distances(s))));
                continue;
            }
            for (int level = 0; level < tree.levels(); level++) {
                for (int index = 0; index < tree.widths().get(level); index++) {
                    int[] range = tree.children(level, index);
                    List<String> inputs = level > 0 ? partials(s, level - 1, range) : privacy == null
                            ? groupKeys(index) : concat(groupKeys(index), keys.clip(index));
                    add(new Node("s" + s + "/l" + level + "-" + index, level == 0 ? Kind.LEAF : Kind.FOLD, s, level,
                            index, inputs, List.of(keys.partial(s, level, index))));
                }
            }
            int top = tree.levels() - 1;
            add(new Node("s" + s + "/root", Kind.ROOT, s, tree.levels(), 0,
                    partials(s, top, new int[] {0, tree.widths().get(top)}), outputs));
        }
        if (kind == ShardedStrategies.Kind.KRUM) {
            List<String> distances = plan.shards().stream().map(shard -> keys.distances(shard.index())).toList();
            add(new Node("select", Kind.SELECT, -1, 1, 0, distances, List.of(keys.selection())));
            for (Shard shard : plan.shards()) {
                add(new Node("s" + shard.index() + "/mean", Kind.MEAN, shard.index(), 2, 0,
                        List.of(keys.selection(), keys.distances(shard.index())),
                        List.of(keys.shardModel(shard.index()))));
            }
        }
        // The state before the model, as the single aggregator writes them: whoever finds global r+1 finds its
        // state, and a stitch that dies between the two writes leaves the round unpublished (a take-over redoes it).
        List<String> outputs = stateful ? List.of(round.stateOutputKey(), round.outputKey())
                : List.of(round.outputKey());
        add(new Node("stitch", Kind.STITCH, -1, depth(), 0, slices, outputs));
    }

    /** The keys of leaf group {@code group}'s updates. */
    private List<String> groupKeys(int group) {
        int[] range = tree.children(0, group);
        return round.updates().subList(range[0], range[1]).stream().map(UpdateRef::key).toList();
    }

    private static List<String> concat(List<String> keys, String key) {
        List<String> all = new ArrayList<>(keys);
        all.add(key);
        return all;
    }

    private void add(Node node) {
        nodes.add(node);
        byName.put(node.name(), node);
        node.inputs().forEach(key -> consumers.computeIfAbsent(key, k -> new ArrayList<>()).add(node));
    }

    private List<String> partials(int shard, int level, int[] range) {
        List<String> children = new ArrayList<>();
        for (int i = range[0]; i < range[1]; i++) {
            children.add(keys.partial(shard, level, i));
        }
        return children;
    }

    public String planId() {
        return planId;
    }

    public NodeKeys keys() {
        return keys;
    }

    public ShardPlan plan() {
        return plan;
    }

    /** Every node in dependency order (a node after every node whose output it reads). */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Optional<Node> node(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The node {@code key} is an input of (for an update of several leaves' groups: one leaf per shard). */
    public List<Node> consumers(String key) {
        return List.copyOf(consumers.getOrDefault(key, List.of()));
    }

    public Node stitch() {
        return byName.get("stitch");
    }

    /** Levels of one shard's work, the root and the stitch included: leaves + folds + root + stitch. */
    public int depth() {
        int work = switch (kind) {
            case TREE -> tree.levels() + 1;
            case CLIPPED_TREE -> tree.levels() + 3;
            case DIRECT -> 1;
            case KRUM -> 3;
        };
        return work + 1;
    }

    public int fanout() {
        return fanout;
    }

    /**
     * Runs {@code node} against {@code store}: computes its outputs into {@code scratch} and stores them conditionally.
     * Its inputs must exist (a missing one fails the node, which writes nothing).
     */
    public Invocation run(ObjectStore store, Node node, Path scratch, int lanes) throws IOException {
        ConditionalOutput.Result result = ConditionalOutput.publish(store, node.outputs(), scratch,
                files -> compute(store, node, lanes, files));
        return new Invocation(node.name(), result.outcome(), result.scratchBytes());
    }

    private void compute(ObjectStore store, Node node, int lanes, List<Path> files) throws IOException {
        Shard shard = node.shard() < 0 ? null : plan.shards().get(node.shard());
        switch (node.kind()) {
            case NORM -> ClippingShard.norms(store, plan, shard, group(node.index()), round.globalKey(),
                    files.get(0));
            case CLIP -> ClippingShard.clip(store, node.inputs(), group(node.index()).size(),
                    privacy.settings().clipNorm(), files.get(0).getParent(), files.get(0));
            case LEAF -> {
                if (privacy != null) {
                    ClippingShard.leaf(store, plan, shard, group(node.index()), keys.clip(node.index()),
                            round.globalKey(), round.updates().size(), files.get(0).getParent(), files.get(0));
                } else {
                    PartialSum.leaf(store, plan, shard, group(node.index()), examples, files.get(0));
                }
            }
            case FOLD -> PartialSum.fold(store, shard, node.inputs(), files.get(0));
            case ROOT -> {
                ShardRound.Step step = privacy == null
                        ? (global, mean, state, out) -> strategy.aggregate(new RoundInput(global,
                                List.of(new ClientUpdate("tree", 1, mean))), state, out)
                        : (global, mean, state, out) -> privacy.aggregateClippedMean(global, mean, shard.flatFrom(),
                                round.updates().size(), -1, noiseSeed, state, out);
                // DP's step reads the global model only through its inner strategy (clipping was the leaves' work).
                boolean readsGlobal = privacy == null ? strategy.readsGlobalModel() : privacy.inner().readsGlobalModel();
                ShardRound.root(store, plan, shard, readsGlobal, step, node.inputs(), examples,
                        round.updates().size(), round.globalKey(), round.stateKey(), lanes, files);
            }
            case DIRECT -> ShardRound.direct(store, plan, shard, strategy, round.updates(), lanes, files);
            case DISTANCES -> KrumShard.distances(store, plan, shard, round.updates(), lanes, files.get(0));
            case SELECT -> KrumShard.select(store, node.inputs(), (Krum) strategy, round.updates(),
                    files.get(0).getParent(), files.get(0));
            case MEAN -> ShardRound.selectedMean(store, plan, shard,
                    KrumShard.selected(store, keys.selection(), round.updates(), files.get(0).getParent()),
                    KrumShard.maxima(store, keys.distances(shard.index()), shard, files.get(0).getParent()), lanes,
                    files);
            case STITCH -> {
                List<Segment> segments = new ArrayList<>();
                for (Shard each : plan.shards()) {
                    each.pieces().forEach(p -> segments.add(new Segment(keys.shardModel(each.index()), p.name())));
                }
                if (stateful) {
                    stitchState(store, files.get(0));
                }
                Stitch.write(store, plan.tensors(), segments, round.metadata(), files.get(files.size() - 1));
            }
        }
    }

    /** The state's vectors, each the concatenation of the shards' slices of it; scalars from shard 0. */
    private void stitchState(ObjectStore store, Path file) throws IOException {
        var first = StoredHeader.read(store, keys.shardState(0)).checked().header();
        long length = plan.shards().stream().mapToLong(Shard::floatCount).sum();
        List<TensorSpec> vectors = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        for (var tensor : first.tensors()) {
            vectors.add(TensorSpec.of(tensor.name(), Dtype.F32, length));
            plan.shards().forEach(shard -> segments.add(new Segment(keys.shardState(shard.index()), tensor.name())));
        }
        Stitch.write(store, vectors, segments, sha -> first.metadata(), file);
    }

    /** Leaf group {@code group}'s updates. */
    private List<UpdateRef> group(int group) {
        int[] range = tree.children(0, group);
        return round.updates().subList(range[0], range[1]);
    }

    private static long totalExamples(List<UpdateRef> updates) {
        if (updates.isEmpty()) {
            throw new CannotAggregate.TooFewUpdates("a round needs at least one update");
        }
        long total = 0;
        for (UpdateRef update : updates) {
            total = Math.addExact(total, update.examples());
        }
        return total;
    }
}
