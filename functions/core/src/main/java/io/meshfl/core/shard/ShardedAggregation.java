package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.shard.ConditionalOutput.Outcome;
import io.meshfl.core.shard.PartialSum.UpdateRef;
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
 * conditionally (exactly one object per node, whatever the duplicates); this class runs the nodes of
 * {@link ShardNodes} on an executor as soon as their children's objects exist — what object-created events do in the
 * aggregation function.
 */
public final class ShardedAggregation {

    /**
     * The round: who is in it, where the global model and state are, and where the result goes. {@code noiseSeed}:
     * differential privacy's noise seed for the round, drawn once by whoever planned it (an event-driven round's nodes
     * each rebuild the aggregation and must add the same noise); null to draw one per {@link ShardNodes} (one run of
     * {@link #run}) from the strategy's own secure source, or without DP.
     */
    public record Round(String model, int version, String globalKey, String stateKey, List<UpdateRef> updates,
                        String outputKey, String stateOutputKey, Long noiseSeed,
                        Function<String, Map<String, String>> metadata) {
        public Round {
            updates = List.copyOf(updates);
        }

        public Round(String model, int version, String globalKey, String stateKey, List<UpdateRef> updates,
                String outputKey, String stateOutputKey, Function<String, Map<String, String>> metadata) {
            this(model, version, globalKey, stateKey, updates, outputKey, stateOutputKey, null, metadata);
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

    /**
     * The plan's identity: a hash of everything the nodes' outputs depend on. Every invocation computes it again (the
     * aggregation function's take-over re-plans), so it hashes only values: the strategy's {@code toString} is its
     * name and parameters (every strategy {@link ShardedStrategies} accepts defines it).
     */
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
        ShardNodes graph = ShardNodes.of(store, round, strategy, shards, fanout);
        List<Invocation> done = java.util.Collections.synchronizedList(new ArrayList<>());
        // A node starts once the nodes writing its inputs have ended: what their objects' events do in a deployment.
        Map<String, CompletableFuture<Void>> producing = new java.util.HashMap<>();
        CompletableFuture<Void> last = null;
        for (ShardNodes.Node node : graph.nodes()) {
            List<CompletableFuture<Void>> after = node.inputs().stream().map(producing::get)
                    .filter(java.util.Objects::nonNull).toList();
            last = CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).thenRunAsync(() -> done.add(
                    invoker.invoke(node.name(), s -> graph.run(s, node, scratch, lanes))), executor);
            for (String output : node.outputs()) {
                producing.put(output, last);
            }
        }
        join(last);
        String published = round.metadata() == null ? null
                : StoredHeader.read(store, round.outputKey()).checked().header().metadata().get("sha256");
        return new Result(published, graph.planId(), List.copyOf(done));
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
