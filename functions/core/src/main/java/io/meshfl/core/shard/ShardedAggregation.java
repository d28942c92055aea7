package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.ConditionalOutput.Outcome;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.shard.Stitch.Segment;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One round aggregated past one function: S shards × (a tree of partial sums, or one coordinate-wise node), then a
 * stitch. Every node is an invocation of its own that reads only its inputs' byte ranges and writes one object
 * conditionally (exactly one object per node, whatever the duplicates); this class runs them on an executor as soon as
 * their children's objects exist — what object-created events do in a deployment.
 */
public final class ShardedAggregation {

    /** The round: who is in it, where the global model and state are, and where the result goes. */
    public record Round(String model, int version, String globalKey, String stateKey, List<UpdateRef> updates,
                        String outputKey, String stateOutputKey, Function<String, Map<String, String>> metadata) {
        public Round {
            updates = List.copyOf(updates);
        }
    }

    /** One invocation: which node, what it did, and its scratch. The caller's listener measures the rest. */
    public record Invocation(String node, Outcome outcome, long scratchBytes) {
    }

    /** Runs one node's work in an invocation (the simulation wraps it to measure bytes, heap and time). */
    public interface Invoker {
        Invocation invoke(String node, NodeWork work);
    }

    /** A node's work, given the store the invocation reads and writes through. */
    public interface NodeWork {
        Invocation run(ObjectStore store) throws IOException;
    }

    /** The published model's SHA-256, the plan's id, and every invocation in the order they ended. */
    public record Result(String sha256, String planId, List<Invocation> invocations) {
    }

    private final ObjectStore store;
    private final Strategy strategy;
    private final Path scratch;
    private final int lanes;

    /**
     * @param store where the driver reads the global model's header; nodes use the store their invoker gives them
     * @param scratch where nodes write their outputs before storing them
     */
    public ShardedAggregation(ObjectStore store, Strategy strategy, Path scratch) {
        this.store = store;
        this.strategy = strategy;
        this.scratch = scratch;
        // Strategies run their blocks on every core (ParallelBlocks): the streams' rings must hold that many blocks.
        this.lanes = Runtime.getRuntime().availableProcessors();
    }

    /** The plan's identity: a hash of everything the nodes' outputs depend on. */
    public static String planId(Round round, Strategy strategy, ShardPlan plan, int fanout) {
        StringBuilder text = new StringBuilder(strategy.name()).append('|').append(strategy).append('|')
                .append(round.globalKey()).append('|').append(round.stateKey()).append('|').append(fanout);
        plan.shards().forEach(s -> text.append('|').append(s.begin()).append('-').append(s.end()));
        round.updates().forEach(u -> text.append('|').append(u.key()).append('@').append(u.etag()).append('#')
                .append(u.examples()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Result run(Round round, int shards, int fanout, Executor executor, Invoker invoker) throws IOException {
        ShardedStrategies.Kind kind = ShardedStrategies.kind(strategy);
        ModelManifest manifest = ModelManifest.of(StoredHeader.read(store, round.globalKey()).checked().header());
        ShardPlan plan = ShardPlan.cut(manifest, shards);
        String planId = planId(round, strategy, plan, fanout);
        NodeKeys keys = NodeKeys.of(round.model(), round.version(), planId);
        long examples = totalExamples(round.updates());
        List<Invocation> done = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> roots = new ArrayList<>();
        boolean stateful = strategy.readsGlobalModel() && round.stateOutputKey() != null;
        for (Shard shard : plan.shards()) {
            List<String> outputs = stateful ? List.of(keys.shardModel(shard.index()), keys.shardState(shard.index()))
                    : List.of(keys.shardModel(shard.index()));
            String name = "s" + shard.index() + "/";
            if (kind == ShardedStrategies.Kind.DIRECT) {
                roots.add(node(executor, invoker, done, name + "direct", List.of(), s -> ConditionalOutput.publish(s,
                        outputs, scratch, files -> ShardRound.direct(s, plan, shard, strategy, round.updates(), lanes,
                                files))));
                continue;
            }
            TreePlan tree = TreePlan.of(round.updates().size(), fanout);
            List<CompletableFuture<Void>> below = List.of();
            for (int level = 0; level < tree.levels(); level++) {
                List<CompletableFuture<Void>> current = new ArrayList<>();
                for (int index = 0; index < tree.widths().get(level); index++) {
                    int[] range = tree.children(level, index);
                    String key = keys.partial(shard.index(), level, index);
                    int lvl = level;
                    List<CompletableFuture<Void>> children = level == 0 ? List.of() : below.subList(range[0], range[1]);
                    current.add(node(executor, invoker, done, name + "l" + level + "-" + index, children, s ->
                            ConditionalOutput.publish(s, List.of(key), scratch, files -> {
                                if (lvl == 0) {
                                    PartialSum.leaf(s, plan, shard, round.updates().subList(range[0], range[1]),
                                            examples, files.get(0));
                                } else {
                                    PartialSum.fold(s, shard, childKeys(keys, shard, lvl - 1, range), files.get(0));
                                }
                            })));
                }
                below = current;
            }
            int top = tree.levels() - 1;
            List<String> children = childKeys(keys, shard, top, new int[] {0, tree.widths().get(top)});
            roots.add(node(executor, invoker, done, name + "root", below, s -> ConditionalOutput.publish(s, outputs,
                    scratch, files -> ShardRound.root(s, plan, shard, strategy, children, examples,
                            round.updates().size(), round.globalKey(), round.stateKey(), lanes, files))));
        }
        String[] sha = new String[1];
        CompletableFuture<Void> stitch = node(executor, invoker, done, "stitch", roots, s -> {
            List<String> outputs = stateful ? List.of(round.outputKey(), round.stateOutputKey())
                    : List.of(round.outputKey());
            return ConditionalOutput.publish(s, outputs, scratch, files -> {
                List<Segment> segments = new ArrayList<>();
                for (Shard shard : plan.shards()) {
                    shard.pieces().forEach(p -> segments.add(new Segment(keys.shardModel(shard.index()), p.name())));
                }
                sha[0] = Stitch.write(s, plan.tensors(), segments, round.metadata(), files.get(0));
                if (stateful) {
                    stitchState(s, plan, keys, files.get(1));
                }
            });
        });
        join(stitch);
        String published = sha[0] != null ? sha[0] : round.metadata() == null ? null
                : StoredHeader.read(store, round.outputKey()).checked().header().metadata().get("sha256");
        return new Result(published, planId, List.copyOf(done));
    }

    /** The state's vectors, each the concatenation of the shards' slices of it; scalars from shard 0. */
    private static void stitchState(ObjectStore s, ShardPlan plan, NodeKeys keys, Path file) throws IOException {
        var first = StoredHeader.read(s, keys.shardState(0)).checked().header();
        long length = plan.shards().stream().mapToLong(Shard::floatCount).sum();
        List<TensorSpec> vectors = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        for (var tensor : first.tensors()) {
            vectors.add(TensorSpec.of(tensor.name(), Dtype.F32, length));
            plan.shards().forEach(shard -> segments.add(new Segment(keys.shardState(shard.index()), tensor.name())));
        }
        Stitch.write(s, vectors, segments, sha -> first.metadata(), file);
    }

    private static List<String> childKeys(NodeKeys keys, Shard shard, int level, int[] range) {
        List<String> children = new ArrayList<>();
        for (int i = range[0]; i < range[1]; i++) {
            children.add(keys.partial(shard.index(), level, i));
        }
        return children;
    }

    private interface Publish {
        ConditionalOutput.Result run(ObjectStore store) throws IOException;
    }

    private CompletableFuture<Void> node(Executor executor, Invoker invoker, List<Invocation> done, String name,
            List<CompletableFuture<Void>> after, Publish publish) {
        return CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).thenRunAsync(() -> done.add(
                invoker.invoke(name, s -> {
                    ConditionalOutput.Result result = publish.run(s);
                    return new Invocation(name, result.outcome(), result.scratchBytes());
                })), executor);
    }

    private static long totalExamples(List<UpdateRef> updates) {
        if (updates.isEmpty()) {
            throw new io.meshfl.core.strategy.CannotAggregate.TooFewUpdates("a round needs at least one update");
        }
        long total = 0;
        for (UpdateRef update : updates) {
            total = Math.addExact(total, update.examples());
        }
        return total;
    }

    private static void join(CompletableFuture<Void> future) throws IOException {
        try {
            future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** An invoker that runs the work as it is, against {@code store}: tests and the plain path. */
    public static Invoker direct(ObjectStore store) {
        return (name, work) -> {
            try {
                return work.run(store);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
