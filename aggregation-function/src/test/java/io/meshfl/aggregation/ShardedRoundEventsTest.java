package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.RdpAccountant;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.RoundTime;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A round too large for one invocation (a limit of 64 bytes read per invocation; five updates of 32 bytes) goes
 * through events: the close plans 2 shards × a tree of fan-in 2 (3 leaves, 2 folds, a root per shard) and a stitch,
 * 13 nodes. The test is the event bridge: every object the function writes under the tree is delivered twice at
 * once (duplicate and concurrent), except one leaf whose only invocation dies before storing its partial and is
 * never redelivered (a crash and a lost retry). The tree then stalls below that leaf; after the round's lease the
 * sweeper takes the round over and re-triggers exactly the missing leaf, and the round completes. A Multi-Krum round
 * goes the same way through its own nodes; so do DP-FedAvg rounds (norm pass, clip nodes, clipped leaves, the noise at
 * the roots; the privacy budget spent once per round) and two FedAdam rounds whose first stitch dies between writing
 * the next state and the model.
 */
@QuarkusTest
@TestProfile(ShardedRoundEventsTest.SmallInvocations.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class ShardedRoundEventsTest {

    public static class SmallInvocations implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshfl.aggregation.sharding.max-bytes-per-invocation", "64",
                    "meshfl.aggregation.sharding.fanout", "2");
        }
    }

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Inject
    CrashingObjectStore crashing;

    private final Set<String> delivered = Collections.synchronizedSet(new HashSet<>());
    private final List<JsonPath> reports = Collections.synchronizedList(new ArrayList<>());
    /** How many times at once every tree object is delivered. */
    private int copies = 2;
    /** A task key whose first version is delivered once only (its invocation is the one that crashes). */
    private volatile String crashOnce;

    @Test
    void duplicatedConcurrentAndCrashedNodeInvocationsLeaveOneObjectPerNodeAndTheSingleAggregatorsModel() {
        // Prepare: five updates of dyadic values with example counts summing to 512, so that every weighted sum is
        // exact in double whatever its association: the tree and the single aggregator must agree bit for bit.
        String[] domains = {"a", "b", "c", "d", "e"};
        long[] examples = {64, 64, 128, 128, 128};
        Federation federation = Federation.open(registry, store, "fedavg", 5, 1000.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), domains);
        SplittableRandom random = new SplittableRandom(18);
        List<StoredObject> updates = new ArrayList<>();
        for (int i = 0; i < domains.length; i++) {
            float[] values = new float[8];
            for (int j = 0; j < values.length; j++) {
                values[j] = random.nextInt(-64, 65) / 16f;
            }
            updates.add(federation.putUpdate(domains[i], Federation.weights(values), examples[i]));
        }
        String tree = "models/" + federation.model + "/tmp/2-tree-";

        // Execute: the updates' events (the last one twice at once: one of them wins the close and plans the tree),
        // then every tree object's event until nothing new appears; shard 1's last leaf (update e alone) is invoked
        // once, and that invocation dies after computing, before storing its partial.
        updates.subList(0, 4).forEach(this::deliver);
        deliverTwiceAtOnce(List.of(updates.get(4)));
        RoundTime.leaseEndsIn(registry.jdbcUrl(), federation.roundId, Duration.ofHours(1));
        String prefix = store.list(tree).get(0).key().replaceAll("^(" + java.util.regex.Pattern.quote(tree)
                + "[0-9a-f]+/).*$", "$1");
        crashing.crashOnNextWriteUnder(prefix + "s1/l0-2.safetensors");
        crashOnce = prefix + "tasks/s1/l0-2";
        deliverTreeUntilQuiet(federation);
        JsonPath stalled = federation.round(federation.roundId);
        boolean publishedBeforeSweep = store.head(federation.globalKey(2)).isPresent();
        JsonPath withinLease = sweep();
        RoundTime.leaseExpired(registry.jdbcUrl(), federation.roundId);
        JsonPath takeOver = sweep();
        deliverTreeUntilQuiet(federation);

        // Assert: the crash stalled the tree, the take-over re-triggered what was missing, and the round completed.
        assertThat(stalled.getString("state")).isEqualTo("AGGREGATING");
        assertThat(publishedBeforeSweep).isFalse();
        assertThat(stalled.getMap("aggregationPlan")).containsEntry("shards", 2).containsEntry("fanout", 2)
                .containsEntry("depth", 4).containsEntry("invocations", 13).containsEntry("updates", 5)
                .containsEntry("updateBytes", 32);
        assertThat(sweptRound(withinLease, federation.roundId)).as("the closer's lease is respected").isNull();
        assertThat(sweptRound(takeOver, federation.roundId)).containsEntry("action", "TAKE_OVER");
        assertThat(federation.round(federation.roundId).getString("state")).isEqualTo("CLOSED");
        assertThat(federation.currentRound().getInt("number")).isEqualTo(2);
        // One object per node: each of the 13 nodes published its outputs exactly once; every other invocation of it
        // found them stored (EXISTING) or lost the conditional write (LOST_RACE).
        assertThat(publishedNodes(nodeOutcomes())).hasSize(13);
        assertThat(prefix).isEqualTo(tree + stalled.getString("aggregationPlan.planId") + "/");
        // The take-over re-planned the same tree (the plan id hashes values only) and re-used its objects.
        assertThat(store.list("models/" + federation.model + "/tmp/")).extracting(StoredObject::key)
                .allMatch(key -> key.startsWith(prefix));
        assertThat(store.list(prefix).stream().map(StoredObject::key).filter(k -> k.endsWith(".safetensors")))
                .hasSize(12); // 2 × (3 leaves + 2 folds + 1 root slice)
        // One global model for the round, equal bit for bit to the single aggregator's on the same updates.
        assertThat(store.list("models/" + federation.model + "/global/")).extracting(StoredObject::key)
                .containsExactly(federation.globalKey(1), federation.globalKey(2));
        Map<String, String> global = federation.globalMetadata(2);
        assertThat(global.get("data-sha256")).isEqualTo(federation.coreAggregate(
                StrategyFactory.create("fedavg", Map.of()), 1, List.of(domains)));
        assertThat(federation.version(2).get("checksum")).isEqualTo(global.get("data-sha256"));
        assertThat(global).containsEntry("round", "2").containsEntry("strategy", "fedavg");
    }

    @Test
    void aMultiKrumRoundRunsPerShardDistancesOneSelectionAndPerShardMeansThroughEvents() {
        // Prepare
        String[] domains = {"a", "b", "c", "d", "e"};
        Federation federation = Federation.open(registry, store, "multi-krum", "{\"byzantine\": 1}", 5, 1000.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), domains);
        SplittableRandom random = new SplittableRandom(7);
        List<StoredObject> updates = new ArrayList<>();
        for (String domain : domains) {
            float[] values = new float[8];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) (random.nextDouble() * 4 - 2);
            }
            updates.add(federation.putUpdate(domain, Federation.weights(values), 1 + random.nextInt(1000)));
        }

        // Execute
        updates.subList(0, 4).forEach(this::deliver);
        deliverTwiceAtOnce(List.of(updates.get(4)));
        deliverTreeUntilQuiet(federation);

        // Assert: 2 × distances, 1 select, 2 × mean (fanned out by the selection's event), the stitch.
        JsonPath round = federation.round(federation.roundId);
        assertThat(round.getString("state")).isEqualTo("CLOSED");
        assertThat(round.getMap("aggregationPlan")).containsEntry("shards", 2).containsEntry("depth", 4)
                .containsEntry("invocations", 6);
        List<String> outcomes = nodeOutcomes();
        assertThat(outcomes).contains("s0/mean: triggered", "s1/mean: triggered");
        Map<String, Long> written = outcomes.stream().filter(o -> o.endsWith(": WRITTEN"))
                .collect(Collectors.groupingBy(o -> o.substring(0, o.indexOf(':')), Collectors.counting()));
        assertThat(written).containsOnlyKeys("s0/distances", "s1/distances", "select", "s0/mean", "s1/mean", "stitch")
                .allSatisfy((node, count) -> assertThat(count).as(node).isEqualTo(1));
        assertThat(federation.globalMetadata(2).get("data-sha256")).isEqualTo(federation.coreAggregate(
                StrategyFactory.create("multi-krum", Map.of("byzantine", 1)), 1, List.of(domains)));
    }

    @Test
    void anUpdateReplacedAfterTheCloseFailsTheRoundNamingItAndNothingIsPublished() {
        // Prepare: a sharded round closed on five accepted updates; then domain c writes its update again (a new
        // version, validly signed, other values): the version the registry accepted is gone.
        String[] domains = {"a", "b", "c", "d", "e"};
        Federation federation = Federation.open(registry, store, "fedavg", 5, 1000.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), domains);
        List<StoredObject> updates = new ArrayList<>();
        for (String domain : domains) {
            updates.add(federation.putUpdate(domain, Federation.weights(1, 2, 3, 4, 5, 6, 7, 8), 100));
        }
        updates.forEach(this::deliver);
        JsonPath closed = federation.round(federation.roundId);
        StoredObject replaced = federation.putUpdate("c", Federation.weights(8, 7, 6, 5, 4, 3, 2, 1), 100);

        // Execute: the tree's events, each twice at once, until nothing new appears; then a redelivery of every
        // tree object (a transport retrying) and a sweep.
        deliverTreeUntilQuiet(federation);
        delivered.clear();
        deliverTreeUntilQuiet(federation);
        sweep();

        // Assert: the round failed with a reason naming the replaced update; no model was published; every
        // invocation answered (nothing left to retry for ever).
        assertThat(closed.getString("state")).isEqualTo("AGGREGATING");
        assertThat(closed.getMap("aggregationPlan")).isNotNull();
        assertThat(replaced.etag()).isNotEqualTo(updates.get(2).etag());
        JsonPath round = federation.round(federation.roundId);
        assertThat(round.getString("state")).isEqualTo("FAILED");
        assertThat(round.getString("failureReason")).contains(replaced.key()).contains(updates.get(2).etag())
                .contains("changed since");
        assertThat(store.list("models/" + federation.model + "/global/")).extracting(StoredObject::key)
                .containsExactly(federation.globalKey(1));
        assertThat(store.list("models/" + federation.model + "/state/")).isEmpty();
        assertThat(nodeOutcomes()).anyMatch(o -> o.startsWith("the round failed: "))
                .noneMatch(o -> o.startsWith("stitch"));
    }

    @Test
    void aPrivateRoundClipsAtTheLeavesAddsTheNoiseOnceAtTheRootsAndSpendsTheBudgetOnce() throws IOException {
        // Prepare: FedAvg under policy.dp (C = 1, σ = 0.5) with a budget of exactly two rounds; four domains, b and d
        // farther than C from the global model (clipped). The mean's weight 1/4 is exact, and so is the double sum
        // of four floats of similar size in any association: the tree must give the single aggregator's bits.
        double budget = RdpAccountant.epsilon(1.0, 0.5, 2, 1e-5).epsilon() * 1.0001;
        String dp = "{\"clipNorm\": 1.0, \"noiseMultiplier\": 0.5, \"delta\": 1e-5, \"epsilonBudget\": %s}"
                .formatted(budget);
        DifferentialPrivacy.Settings settings = new DifferentialPrivacy.Settings(1.0, 0.5, 1.0, 1e-5, budget);
        String[] domains = {"a", "b", "c", "d"};
        Federation federation = Federation.open(registry, store, "fedavg", "{}", dp, 4, 1000.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), domains);
        SplittableRandom random = new SplittableRandom(5);

        // Execute: rounds 1 and 2 through their trees' events (every object twice at once; in round 1 the first
        // invocation storing shard 1's root slice dies before it stores), then round 3.
        List<Long> rounds = new ArrayList<>();
        Map<String, Long> written = new java.util.HashMap<>();
        for (int round = 1; round <= 3; round++) {
            rounds.add(federation.currentRound().getLong("roundId"));
            List<StoredObject> updates = new ArrayList<>();
            for (int i = 0; i < domains.length; i++) {
                float[] values = new float[8];
                for (int j = 0; j < values.length; j++) {
                    values[j] = (float) ((random.nextDouble() * 2 - 1) * (i % 2 == 1 ? 1.5 : 0.25));
                }
                updates.add(federation.putUpdate(domains[i], round, Federation.weights(values), 10 + i));
            }
            reports.clear();
            updates.subList(0, 3).forEach(this::deliver);
            deliverTwiceAtOnce(List.of(updates.get(3)));
            if (round == 1) {
                crashing.crashOnNextWriteUnder(treePrefix(federation, 2) + "s1/model.safetensors");
            }
            deliverTreeUntilQuiet(federation);
            publishedNodes(nodeOutcomes()).forEach(node -> written.merge(node, 1L, Long::sum));
        }

        // Assert: rounds 1 and 2 closed through 2 shards × (2 norm nodes, 2 leaves, a root), 2 clip nodes, the stitch;
        // every node stored its outputs once per round, the crashed root's slice by the invocation that did not die.
        assertThat(federation.round(rounds.get(0)).getMap("aggregationPlan")).containsEntry("shards", 2)
                .containsEntry("depth", 5).containsEntry("invocations", 13);
        assertThat(written).hasSize(13).containsKeys("s0/norm-0", "s1/norm-1", "clip-0", "clip-1", "s1/root", "stitch")
                .allSatisfy((node, count) -> assertThat(count).as(node).isEqualTo(2));
        for (int version = 2; version <= 3; version++) {
            // The single aggregator from the same global model and state, with the noise seed the close drew.
            JsonPath plan = JsonPath.from(new String(store.read(treePrefix(federation, version) + "plan.json"),
                    java.nio.charset.StandardCharsets.UTF_8));
            ServerState before = version == 2 ? ServerState.empty()
                    : ServerStateFile.read(federation.download(ObjectKeys.strategyState(federation.model, 2)));
            ModelAggregator.Result single = federation.coreAggregate(DifferentialPrivacy.around(new FedAvg(), settings)
                    .withNoiseSeed(plan.getLong("noiseSeed")), federation.download(federation.globalKey(version - 1)),
                    version - 1, List.of(domains), before, federation.download(federation.globalKey(version))
                    .resolveSibling("single-" + version + ".safetensors"));
            assertThat(federation.globalMetadata(version).get("data-sha256")).as("model %d", version)
                    .isEqualTo(single.sha256());
            // The privacy spent: once per round, in the state the round wrote once.
            ServerState state = ServerStateFile.read(federation.download(
                    ObjectKeys.strategyState(federation.model, version)));
            assertThat(state.values()).isEqualTo(single.outcome().state().values())
                    .containsEntry("steps", Integer.toString(version - 1)).containsEntry("epsilon",
                            Double.toString(RdpAccountant.epsilon(1.0, 0.5, version - 1, 1e-5).epsilon()));
        }
        assertThat(federation.round(rounds.get(1)).getString("state")).isEqualTo("CLOSED");
        // Round 3 would spend more than the budget: refused at its close, before any tree or model.
        assertThat(federation.round(rounds.get(2)).getString("state")).isEqualTo("FAILED");
        assertThat(federation.round(rounds.get(2)).getString("failureReason")).contains("above the budget");
        assertThat(store.list("models/" + federation.model + "/tmp/4-tree-")).isEmpty();
        assertThat(store.head(federation.globalKey(4))).isEmpty();
    }

    @Test
    void twoServerOptimiserRoundsEqualTheSingleAggregatorsAndAStitchThatDiedBetweenStateAndModelIsRedone()
            throws IOException {
        // Prepare: every tree object delivered once (duplicates are the other tests' subject)
        copies = 1;
        String[] domains = {"a", "b", "c", "d"};
        Federation federation = Federation.open(registry, store, "fedadam", 4, 1000.0,
                Federation.weights(0.5f, -0.25f, 1, 0, 2, -1, 0.125f, 3), domains);
        SplittableRandom random = new SplittableRandom(11);
        long first = federation.roundId;

        // Execute: round 1, where every stitch invocation dies after storing the next state and before the model;
        // after the lease a sweep takes the round over. Then round 2 from model 2 and state 2.
        putAndClose(federation, 1, domains, random);
        crashing.crashOnEveryWriteUnder("models/" + federation.model + "/global/");
        deliverTreeUntilQuiet(federation);
        crashing.stopCrashing();
        String stalled = federation.round(first).getString("state");
        Optional<StoredObject> stateBefore = store.head(ObjectKeys.strategyState(federation.model, 2));
        boolean modelBefore = store.head(federation.globalKey(2)).isPresent();
        RoundTime.leaseExpired(registry.jdbcUrl(), first);
        JsonPath takeOver = sweep();
        deliverTreeUntilQuiet(federation);
        long second = federation.currentRound().getLong("roundId");
        putAndClose(federation, 2, domains, random);
        deliverTreeUntilQuiet(federation);

        // Assert: the crash left the state without the model, and the round unpublished; the take-over's stitch
        // stored the model and kept the state (written once); both rounds closed.
        assertThat(stalled).isEqualTo("AGGREGATING");
        assertThat(stateBefore).isPresent();
        assertThat(modelBefore).isFalse();
        assertThat(sweptRound(takeOver, first)).containsEntry("action", "TAKE_OVER");
        assertThat(store.head(ObjectKeys.strategyState(federation.model, 2)).orElseThrow().etag())
                .isEqualTo(stateBefore.get().etag());
        assertThat(federation.round(first).getString("state")).isEqualTo("CLOSED");
        assertThat(federation.round(second).getString("state")).isEqualTo("CLOSED");
        // One stitch invocation per round stored its outputs; any other at once lost the race or found them stored.
        assertThat(nodeOutcomes()).filteredOn(o -> o.startsWith("stitch:"))
                .filteredOn(o -> o.equals("stitch: WRITTEN")).hasSize(2);
        assertThat(nodeOutcomes()).filteredOn(o -> o.startsWith("stitch:")).allMatch(o -> o.equals("stitch: WRITTEN")
                || o.equals("stitch: LOST_RACE") || o.equals("stitch: SHARED") || o.equals("stitch: EXISTING") || o.contains("waiting"));
        // Models 2 and 3 and states 2 and 3 as the single aggregator's two rounds, to 1e-6 relative.
        Strategy fedadam = StrategyFactory.create("fedadam", Map.of());
        Path global = federation.download(federation.globalKey(1));
        ServerState state = ServerState.empty();
        for (int version = 2; version <= 3; version++) {
            Path out = global.resolveSibling("single-" + version + ".safetensors");
            ModelAggregator.Result single = federation.coreAggregate(fedadam, global, version - 1, List.of(domains),
                    state, out);
            assertClose("model " + version, floats(out),
                    floats(federation.download(federation.globalKey(version))));
            ServerState tree = ServerStateFile.read(federation.download(
                    ObjectKeys.strategyState(federation.model, version)));
            assertThat(tree.values()).isEqualTo(single.outcome().state().values());
            assertThat(tree.vectors().keySet()).isEqualTo(single.outcome().state().vectors().keySet()).isNotEmpty();
            for (String vector : tree.vectors().keySet()) {
                assertClose("state " + version + " " + vector, single.outcome().state().vectors().get(vector),
                        tree.vectors().get(vector));
            }
            global = out;
            state = single.outcome().state();
        }
    }

    /** Stores round {@code round}'s updates (random values) and delivers their events; the last one closes it. */
    private void putAndClose(Federation federation, int round, String[] domains, SplittableRandom random) {
        List<StoredObject> updates = new ArrayList<>();
        for (String domain : domains) {
            float[] values = new float[8];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) (random.nextDouble() * 4 - 2);
            }
            updates.add(federation.putUpdate(domain, round, Federation.weights(values), 1 + random.nextInt(1000)));
        }
        updates.subList(0, updates.size() - 1).forEach(this::deliver);
        deliverTwiceAtOnce(List.of(updates.get(updates.size() - 1)));
    }

    private static float[] floats(Path model) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(model)) {
            List<Float> values = new ArrayList<>();
            for (var tensor : reader.manifest().tensors()) {
                for (float value : reader.readFloats(tensor.name())) {
                    values.add(value);
                }
            }
            float[] all = new float[values.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = values.get(i);
            }
            return all;
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) Math.abs(actual[i] - expected[i])).as("%s [%d]", what, i)
                    .isLessThanOrEqualTo(1e-6 * Math.max(Math.abs(expected[i]), 1e-6));
        }
    }

    /** The prefix of the tree that writes global model {@code version} (its one plan). */
    private String treePrefix(Federation federation, int version) {
        String tree = "models/" + federation.model + "/tmp/" + version + "-tree-";
        return store.list(tree).get(0).key().replaceAll("^(" + java.util.regex.Pattern.quote(tree)
                + "[0-9a-f]+/).*$", "$1");
    }

    /** Delivers every object under the model's tree not yet delivered (new keys and new versions), until none. */
    private void deliverTreeUntilQuiet(Federation federation) {
        for (int pass = 0; pass < 50; pass++) {
            List<StoredObject> fresh = store.list("models/" + federation.model + "/tmp/").stream()
                    .filter(o -> !delivered.contains(o.key() + "@" + o.etag())).toList();
            if (fresh.isEmpty()) {
                return;
            }
            deliverTwiceAtOnce(fresh);
        }
        throw new AssertionError("the tree kept writing new objects");
    }

    private void deliverTwiceAtOnce(List<StoredObject> objects) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (StoredObject object : objects) {
            delivered.add(object.key() + "@" + object.etag());
            boolean once = object.key().equals(crashOnce);
            if (once) {
                crashOnce = null;
            }
            for (int copy = 0; copy < (once ? 1 : copies); copy++) {
                calls.add(CompletableFuture.runAsync(() -> deliver(object)));
            }
        }
        calls.forEach(CompletableFuture::join);
    }

    /** One delivery; an invocation that dies (the armed crash) answers 500 and is not retried. */
    private void deliver(StoredObject object) {
        delivered.add(object.key() + "@" + object.etag());
        var response = asFunction(registry).contentType(ContentType.JSON)
                .body(DocumentedEvents.text(Federation.event(object))).post("/aggregate");
        if (response.statusCode() == 200) {
            reports.add(response.jsonPath());
        } else {
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(500);
        }
    }

    /**
     * The nodes of one round whose outputs some invocation stored: in full (WRITTEN), or in part while a concurrent
     * invocation stored the rest (SHARED: two invocations that interleave their conditional writes). Asserts that no
     * two invocations of a node both stored all of its outputs, which only an unconditional write could do.
     */
    private static java.util.Set<String> publishedNodes(List<String> outcomes) {
        Map<String, Long> inFull = outcomes.stream().filter(o -> o.endsWith(": WRITTEN"))
                .collect(Collectors.groupingBy(o -> o.substring(0, o.indexOf(':')), Collectors.counting()));
        assertThat(inFull).allSatisfy((node, count) -> assertThat(count).as(node + " stored in full").isEqualTo(1));
        return outcomes.stream().filter(o -> o.endsWith(": WRITTEN") || o.endsWith(": SHARED"))
                .map(o -> o.substring(0, o.indexOf(':'))).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Every node outcome the invocations reported ("s0/l0-1: WRITTEN", …). */
    private List<String> nodeOutcomes() {
        List<String> outcomes = new ArrayList<>();
        synchronized (reports) {
            for (JsonPath report : reports) {
                List<Map<String, Object>> objects = report.getList("objects");
                for (Map<String, Object> object : objects) {
                    if ("NODE".equals(object.get("outcome"))) {
                        for (String part : ((String) object.get("detail")).split("; ")) {
                            outcomes.add(part);
                        }
                    }
                }
            }
        }
        return outcomes;
    }

    private static Map<String, Object> sweptRound(JsonPath report, long roundId) {
        List<Map<String, Object>> rounds = report.getList("rounds");
        return rounds.stream().filter(r -> ((Number) r.get("roundId")).longValue() == roundId).findFirst()
                .orElse(null);
    }

    private JsonPath sweep() {
        return asFunction(registry).contentType(ContentType.JSON).body("{}").post("/sweep").then().statusCode(200)
                .extract().jsonPath();
    }

}
