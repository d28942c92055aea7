package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * goes the same way through its own nodes.
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
        // One object per node: each of the 13 nodes stored its outputs exactly once (WRITTEN); every other
        // invocation of it found them stored (EXISTING) or lost the conditional write (LOST_RACE).
        Map<String, Long> written = nodeOutcomes().stream().filter(o -> o.endsWith(": WRITTEN"))
                .collect(Collectors.groupingBy(o -> o.substring(0, o.indexOf(':')), Collectors.counting()));
        assertThat(written).hasSize(13).allSatisfy((node, count) -> assertThat(count).as(node).isEqualTo(1));
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
            for (int copy = 0; copy < (once ? 1 : 2); copy++) {
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
