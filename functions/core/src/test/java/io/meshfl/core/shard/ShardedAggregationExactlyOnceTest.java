package io.meshfl.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.shard.ConditionalOutput.Outcome;
import io.meshfl.core.shard.ShardedAggregation.Invocation;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every node writes its object conditionally: duplicate and concurrent invocations leave exactly one object per node
 * (never overwritten), a crashed invocation is redone by the next, and the published model is an undisturbed run's
 * whatever happened.
 */
class ShardedAggregationExactlyOnceTest {

    private static final Strategy FEDAVG = StrategyFactory.create("fedavg", Map.of());

    @Test
    void concurrentAndDuplicateRunsLeaveOneObjectPerNodeAndOneModel() throws Exception {
        // Prepare: 5 updates, 2 shards, fan-in 2 (per shard 3 leaves, 2 inner nodes, a root).
        ShardedRounds round = new ShardedRounds("once/", new SplittableRandom(7), 5, true);
        // The same round under other keys, aggregated once and undisturbed: what every run must publish.
        String expected = run(new ShardedRounds("once-twin/", new SplittableRandom(7), 5, true)).sha256();

        // Execute: three whole aggregations of the same round at once, then one more after.
        List<CompletableFuture<ShardedAggregation.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> run(round)));
        }
        List<Invocation> concurrent = runs.stream().flatMap(r -> r.join().invocations().stream()).toList();
        String planId = runs.get(0).join().planId();
        List<StoredObject> nodes = ShardedRounds.store().list(ObjectKeys.aggregationTree("m", 1, planId));
        ShardedAggregation.Result again = run(round);

        // Assert: every node has one object (2 shards × (3 leaves + 2 inner partials + 1 slice)), none written twice...
        assertThat(nodes).hasSize(2 * (3 + 2 + 1));
        Map<String, Long> written = concurrent.stream().filter(i -> i.outcome() == Outcome.WRITTEN)
                .collect(Collectors.groupingBy(Invocation::node, Collectors.counting()));
        assertThat(written.values()).allMatch(n -> n == 1);
        // ...a later duplicate finds everything stored and changes nothing...
        assertThat(again.invocations()).allMatch(i -> i.outcome() == Outcome.EXISTING);
        assertThat(ShardedRounds.store().list(ObjectKeys.aggregationTree("m", 1, planId))).isEqualTo(nodes);
        // ...and the one published model is the undisturbed run's.
        assertThat(sha(round.download(round.prefix + "out"))).isEqualTo(expected);
        assertThat(runs.stream().map(r -> r.join().sha256()).distinct().toList()).containsExactly(expected);
    }

    @Test
    void aNodeThatCrashedBeforeStoringIsRedoneByTheNextInvocation() throws Exception {
        ShardedRounds round = new ShardedRounds("crash/", new SplittableRandom(11), 5, false);
        ShardedRounds twin = new ShardedRounds("crash-twin/", new SplittableRandom(11), 5, false);
        String expected = runWith(new ShardedAggregation(ShardedRounds.store(), FEDAVG, twin.dir),
                spec(twin), ShardedAggregation.direct(ShardedRounds.store())).sha256();
        ShardedAggregation.Round spec = spec(round);
        ShardedAggregation aggregation = new ShardedAggregation(ShardedRounds.store(), FEDAVG, round.dir);
        // The invocation of shard 1's second leaf dies after computing, as its output goes to the store.
        ObjectStore dying = failingPutsFor("s1/l0-1");

        assertThatThrownBy(() -> runWith(aggregation, spec, (name, work) -> {
            try {
                return work.run(name.equals("s1/l0-1") ? dying : ShardedRounds.store());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).hasMessageContaining("crashed");
        assertThat(ShardedRounds.store().head(round.prefix + "out")).isEmpty();

        ShardedAggregation.Result retry = runWith(aggregation, spec, ShardedAggregation.direct(ShardedRounds.store()));

        assertThat(retry.invocations()).filteredOn(i -> i.node().equals("s1/l0-1"))
                .extracting(Invocation::outcome).containsExactly(Outcome.WRITTEN);
        assertThat(retry.invocations()).filteredOn(i -> i.node().startsWith("s0/"))
                .allMatch(i -> i.outcome() == Outcome.EXISTING);
        assertThat(retry.sha256()).isEqualTo(expected);
    }

    @Test
    void aStrategyThatCannotBeShownExactIsRefusedWithTheReason() throws Exception {
        ShardedRounds round = new ShardedRounds("refused/", new SplittableRandom(3), 4, false);
        // Any Strategy the sharded aggregation does not know: nothing says its result depends on partial sums only.
        Strategy unknown = new Strategy() {
            @Override
            public String name() {
                return "custom";
            }

            @Override
            public io.meshfl.core.strategy.AggregationOutcome aggregate(io.meshfl.core.strategy.RoundInput input,
                    io.meshfl.core.strategy.ServerState state, io.meshfl.core.strategy.FlatSink out) {
                throw new AssertionError("never run");
            }
        };
        assertThatThrownBy(() -> round.sharded(unknown, null, 2, 2, round.prefix + "out", null))
                .isInstanceOf(InvalidStrategyException.class)
                .hasMessageContaining("'custom' cannot be aggregated in shards");
        assertThat(ShardedRounds.store().list("models/m/tmp/1-tree-")).noneMatch(o -> o.key().contains("refused"));
    }

    private static ShardedAggregation.Round spec(ShardedRounds round) {
        return new ShardedAggregation.Round("m", 1, round.prefix + "global.safetensors", null, round.updates,
                round.prefix + "out", null, sha -> Map.of("sha256", sha));
    }

    private static ShardedAggregation.Result run(ShardedRounds round) {
        try {
            return round.sharded(FEDAVG, null, 2, 2, round.prefix + "out", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ShardedAggregation.Result runWith(ShardedAggregation aggregation, ShardedAggregation.Round spec,
            ShardedAggregation.Invoker invoker) throws IOException {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            return aggregation.run(spec, 2, 2, pool, invoker);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The tests' store, except that conditional writes fail as if the invocation died while storing. */
    private static ObjectStore failingPutsFor(String node) {
        ObjectStore real = ShardedRounds.store();
        return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putIfAbsent")) {
                        throw new IllegalStateException("invocation of " + node + " crashed while storing");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String sha(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.dataSha256();
        }
    }
}
