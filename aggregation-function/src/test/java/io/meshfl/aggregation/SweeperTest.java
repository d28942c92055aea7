package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.RoundTime;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scheduled sweeper does what no event will: completes a round whose aggregator died after the last update,
 * closes at the deadline with the quorum, expires below it. Time passes by moving a round's deadline or lease on the
 * registry database's clock (the one clock), never by sleeping.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class SweeperTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Inject
    CrashingObjectStore crashing;

    @Test
    void aWinnerKilledAfterClosingOnTheLastUpdateIsCompletedByTheSweeperAfterItsLease() {
        // Prepare: both updates in; the invocation that wins the close on the last one dies before publishing.
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        post(federation.putUpdate("a", Federation.weights(1, 2, 3, 4, 5, 6, 7, 8), 100));
        StoredObject b = federation.putUpdate("b", Federation.weights(3, 4, 5, 6, 7, 8, 9, 10), 300);
        crashing.crashOnNextPromotion(federation.model);
        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(b)))
                .post("/aggregate").then().statusCode(500);

        // Execute: no further event; a sweep within the lease (made an hour long, so that this check cannot race
        // the test profile's three-second lease on a busy machine), then one after it.
        RoundTime.leaseEndsIn(registry.jdbcUrl(), federation.roundId, Duration.ofHours(1));
        JsonPath withinLease = sweep();
        RoundTime.leaseExpired(registry.jdbcUrl(), federation.roundId);
        JsonPath afterLease = sweep();
        JsonPath again = sweep();

        // Assert: the sweep after the lease took the round over and published exactly one global model 2.
        assertThat(outcome(withinLease, federation.roundId)).as("the holder's lease is respected").isNull();
        assertThat(outcome(afterLease, federation.roundId)).containsEntry("action", "TAKE_OVER")
                .containsEntry("outcome", "AGGREGATED").containsEntry("detail", federation.globalKey(2));
        assertThat(outcome(again, federation.roundId)).isNull();
        assertThat(store.list("models/" + federation.model + "/global/")).extracting(StoredObject::key)
                .containsExactlyInAnyOrder(federation.globalKey(1), federation.globalKey(2));
        assertThat(store.list("models/" + federation.model + "/tmp/")).isEmpty();
        assertThat(federation.round(federation.roundId).getString("state")).isEqualTo("CLOSED");
        assertThat(federation.currentRound().getInt("number")).isEqualTo(2);
        // (100·a + 300·b) / 400
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(8.5f, 9.5f);
    }

    @Test
    void anUpdateWhoseObjectEventWasLostIsTakenInByTheNextSweepOnceAndClosesTheRound() {
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        post(federation.putUpdate("a", Federation.weights(1, 2, 3, 4, 5, 6, 7, 8), 100));
        // b's upload lands in the bucket, but its event never reaches the function (a dropped queue message).
        StoredObject b = federation.putUpdate("b", Federation.weights(3, 4, 5, 6, 7, 8, 9, 10), 300);

        JsonPath swept = sweep();
        JsonPath again = sweep();

        assertThat(swept.getList("recovered.key")).contains(b.key());
        assertThat(swept.getString("recovered.find { it.key == '" + b.key() + "' }.outcome")).isEqualTo("ACCEPTED");
        assertThat(swept.getString("recovered.find { it.key == '" + b.key() + "' }.globalModelKey"))
                .isEqualTo(federation.globalKey(2));
        assertThat(again.getList("recovered.key")).doesNotContain(b.key());
        assertThat(federation.round(federation.roundId).getString("state")).isEqualTo("CLOSED");
        assertThat(federation.version(2).get("aggregatedFrom"))
                .isEqualTo(List.of(federation.domain("a"), federation.domain("b")));
        // (100·a + 300·b) / 400
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(8.5f, 9.5f);
    }

    @Test
    void atTheDeadlineARoundWithItsQuorumIsAggregatedFromTheUpdatesIn() {
        Federation federation = Federation.open(registry, store, "fedavg", 1, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        JsonPath accepted = post(federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10));
        assertThat(accepted.getString("objects[0].globalModelKey")).as("b is still expected").isNull();

        RoundTime.pastDeadline(registry.jdbcUrl(), federation.roundId);
        JsonPath swept = sweep();

        assertThat(outcome(swept, federation.roundId)).containsEntry("action", "AGGREGATE")
                .containsEntry("outcome", "AGGREGATED");
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(1f, 1f);
        assertThat(federation.version(2).get("aggregatedFrom")).isEqualTo(List.of(federation.domain("a")));
    }

    @Test
    void belowQuorumAtTheDeadlineTheSweeperFailsTheRoundAndTheNextOpensOnTheSameGlobalModel() {
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        post(federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10));

        RoundTime.pastDeadline(registry.jdbcUrl(), federation.roundId);
        JsonPath swept = sweep();

        assertThat(outcome(swept, federation.roundId)).containsEntry("action", "EXPIRE")
                .containsEntry("outcome", "EXPIRED");
        assertThat(federation.round(federation.roundId).getString("failureReason"))
                .startsWith("quorum missed: 1 of 2 required updates by the deadline")
                .endsWith("missing: " + federation.domain("b") + ")");
        JsonPath next = federation.currentRound();
        assertThat(next.getInt("number")).isEqualTo(2);
        assertThat(next.getString("state")).isEqualTo("OPEN");
        assertThat(next.getString("globalModelKey")).isEqualTo(federation.globalKey(1));
        assertThat(store.head(federation.globalKey(2))).isEmpty();
    }

    @Test
    void concurrentAndRepeatedSweepsActOnEachRoundExactlyOnce() throws Exception {
        // Prepare: one round due to aggregate, one due to expire.
        Federation closing = Federation.open(registry, store, "fedavg", 1, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        post(closing.putUpdate("a", Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 10));
        Federation failing = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        RoundTime.pastDeadline(registry.jdbcUrl(), closing.roundId);
        RoundTime.pastDeadline(registry.jdbcUrl(), failing.roundId);

        // Execute: four sweeps at once, then two more.
        List<JsonPath> reports = new ArrayList<>(all(4, this::sweep));
        reports.add(sweep());
        reports.add(sweep());

        // Assert
        assertThat(reports).filteredOn(r -> "AGGREGATED".equals(outcomeOf(r, closing.roundId))).hasSize(1);
        assertThat(reports).allSatisfy(r -> assertThat(r.getList("errors")).isEmpty());
        assertThat(store.list("models/" + closing.model + "/global/")).hasSize(2);
        assertThat(closing.currentRound().getInt("number")).isEqualTo(2);
        assertThat(failing.currentRound().getInt("number")).as("one retry, however many sweeps").isEqualTo(2);
        assertThat(failing.currentRound().getString("state")).isEqualTo("OPEN");
        assertThat(failing.round(failing.roundId).getString("state")).isEqualTo("FAILED");
    }

    private JsonPath sweep() {
        return asFunction(registry).contentType(ContentType.JSON).body("{}").post("/sweep").then().statusCode(200)
                .extract().jsonPath();
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .post("/aggregate").then().statusCode(200).extract().jsonPath();
    }

    /** What the sweep reported for the round, or null if the registry did not list it as due. */
    private static Map<String, Object> outcome(JsonPath report, long roundId) {
        List<Map<String, Object>> rounds = report.getList("rounds");
        return rounds.stream().filter(r -> ((Number) r.get("roundId")).longValue() == roundId).findFirst()
                .orElse(null);
    }

    private static String outcomeOf(JsonPath report, long roundId) {
        Map<String, Object> outcome = outcome(report, roundId);
        return outcome == null ? null : (String) outcome.get("outcome");
    }

    private static <T> List<T> all(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
