package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.meshfl.testing.RoundTime;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Buffered asynchronous aggregation (FedBuff) through the event path: buffers of two, an update from an older version
 * folded with its staleness weight, every buffer folded exactly once under repeated and concurrent events.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class BufferedAggregationTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Inject
    CrashingObjectStore crashing;

    @Test
    void eachBufferBecomesOneVersionAndStaleDeltasCountWithTheirWeight() throws Exception {
        // Prepare: FedAvg, buffers of 2, polynomial staleness a = 1 (s = 0 → 1, s = 1 → ½); global v1 = 0
        Federation federation = Federation.open(registry, store, "fedavg", "{}", """
                {"mode": "async", "bufferSize": 2, "maxStaleness": 2, "staleness": {"function": "polynomial", "a": 1}}
                """, Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b", "c");
        StoredObject a1 = federation.putUpdate("a", 1, Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 100);
        StoredObject b1 = federation.putUpdate("b", 1, Federation.weights(3, 3, 3, 3, 3, 3, 3, 3), 100);
        StoredObject c1 = federation.putUpdate("c", 1, Federation.weights(5, 5, 5, 5, 5, 5, 5, 5), 200);

        // Execute: buffer 1 = a (five deliveries) and b (six at once); then c, trained from v1, and a from v2
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(post(a1).statusCode());
        }
        List<ExtractableResponse<Response>> closingBuffer1 = concurrently(6, () -> post(b1));
        statuses.add(post(c1).statusCode());
        StoredObject a2 = federation.putUpdate("a", 2, Federation.weights(4, 4, 4, 4, 4, 4, 4, 4), 100);
        List<ExtractableResponse<Response>> closingBuffer2 = concurrently(6, () -> post(a2));
        for (StoredObject again : List.of(a1, b1, c1, a2)) {
            statuses.add(post(again).statusCode());
        }

        // Assert: one version per buffer, whatever the deliveries
        assertThat(statuses).containsOnly(200);
        assertThat(aggregatedInto(closingBuffer1)).containsExactly(federation.globalKey(2));
        assertThat(aggregatedInto(closingBuffer2)).containsExactly(federation.globalKey(3));
        assertThat(store.list("models/" + federation.model + "/global/")).extracting(StoredObject::key)
                .containsExactly(federation.globalKey(1), federation.globalKey(2), federation.globalKey(3));
        long firstBuffer = federation.roundId;
        long secondBuffer = federation.asGovernance().get("/models/" + federation.model + "/rounds/2").then()
                .statusCode(200).extract().jsonPath().getLong("roundId");
        assertThat(federation.updates(firstBuffer)).extracting(u -> u.get("domain"))
                .containsExactly(federation.domain("a"), federation.domain("b"));
        assertThat(federation.updates(secondBuffer)).extracting(u -> u.get("domain") + "@" + u.get("baseRound"))
                .containsExactly(federation.domain("a") + "@2", federation.domain("c") + "@1");
        assertThat(federation.currentRound().getInt("number")).isEqualTo(3);
        // v2 = (1 + 3) / 2 = 2. v3 = v2 + (100·1·(4 − 2) + 200·½·(5 − 0)) / 300 = 2 + (200 + 500) / 300 = 13/3
        assertThat(federation.readGlobal(2).tensor("01Linear_weight")).containsOnly(2f);
        assertThat(federation.readGlobal(3).tensor("01Linear_weight"))
                .containsExactly(new float[] {13f / 3, 13f / 3, 13f / 3, 13f / 3, 13f / 3, 13f / 3}, within(1e-5f));
        assertThat(federation.globalMetadata(3)).containsEntry("staleness",
                federation.domain("a") + ":0," + federation.domain("c") + ":1");
    }

    @Test
    void aFullBufferWhoseWinnerDiedIsFoldedByTheSweeperAfterItsLeaseExactlyOnce() {
        // Prepare: buffers of 2; the invocation that wins the close on the second update dies before publishing
        Federation federation = Federation.open(registry, store, "fedavg", "{}",
                "{\"mode\": \"async\", \"bufferSize\": 2}", Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        assertThat(post(federation.putUpdate("a", 1, Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 100)).statusCode())
                .isEqualTo(200);
        crashing.crashOnNextPromotion(federation.model);
        assertThat(post(federation.putUpdate("b", 1, Federation.weights(3, 3, 3, 3, 3, 3, 3, 3), 300)).statusCode())
                .isEqualTo(500);

        // Execute: no further event; sweeps after the lease ran out
        RoundTime.leaseExpired(registry.jdbcUrl(), federation.roundId);
        JsonPath first = sweep();
        JsonPath again = sweep();

        // Assert: taken over and folded once: (100·1 + 300·3) / 400 = 2.5
        List<Map<String, Object>> swept = first.getList("rounds");
        assertThat(swept).filteredOn(r -> ((Number) r.get("roundId")).longValue() == federation.roundId)
                .singleElement().satisfies(r -> assertThat(r).containsEntry("action", "TAKE_OVER")
                        .containsEntry("outcome", "AGGREGATED"));
        List<Map<String, Object>> later = again.getList("rounds");
        assertThat(later).noneMatch(r -> ((Number) r.get("roundId")).longValue() == federation.roundId);
        assertThat(store.list("models/" + federation.model + "/global/")).extracting(StoredObject::key)
                .containsExactly(federation.globalKey(1), federation.globalKey(2));
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(2.5f, 2.5f);
        assertThat(federation.currentRound().getInt("number")).isEqualTo(2);
    }

    @Test
    void anUpdateOfAnOlderVersionWhoseEventWasLostIsTakenInByTheNextSweepIntoTheOpenBuffer() {
        // Prepare: buffer 1 = a and b, folded into v2; c, trained from v1, lands under round 1's key, event lost
        Federation federation = Federation.open(registry, store, "fedavg", "{}",
                "{\"mode\": \"async\", \"bufferSize\": 2, \"maxStaleness\": 2}",
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b", "c");
        post(federation.putUpdate("a", 1, Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 100));
        post(federation.putUpdate("b", 1, Federation.weights(3, 3, 3, 3, 3, 3, 3, 3), 100));
        StoredObject c1 = federation.putUpdate("c", 1, Federation.weights(5, 5, 5, 5, 5, 5, 5, 5), 200);

        // Execute
        JsonPath swept = sweep();
        JsonPath again = sweep();

        // Assert: taken in once, into buffer 2, as an update from v1; a and b are not taken in again
        assertThat(swept.getList("recovered.key")).containsExactly(c1.key());
        assertThat(swept.getString("recovered[0].outcome")).isEqualTo("ACCEPTED");
        assertThat(again.getList("recovered.key")).isEmpty();
        long secondBuffer = federation.asGovernance().get("/models/" + federation.model + "/rounds/2").then()
                .statusCode(200).extract().jsonPath().getLong("roundId");
        assertThat(federation.updates(secondBuffer)).extracting(u -> u.get("domain") + "@" + u.get("baseRound"))
                .containsExactly(federation.domain("c") + "@1");
    }

    private JsonPath sweep() {
        return asFunction(registry).contentType(ContentType.JSON).body("{}").post("/sweep").then().statusCode(200)
                .extract().jsonPath();
    }

    private static List<String> aggregatedInto(List<ExtractableResponse<Response>> replies) {
        return replies.stream().filter(reply -> reply.statusCode() == 200)
                .map(reply -> reply.jsonPath().getString("objects[0].globalModelKey"))
                .filter(key -> key != null).toList();
    }

    private ExtractableResponse<Response> post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate").then().extract();
    }

    private static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
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
