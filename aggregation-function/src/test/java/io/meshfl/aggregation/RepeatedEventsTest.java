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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery: the same event ten times, then eight concurrent invocations for the last update. One
 * global model, one completed round, every update counted exactly once.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class RepeatedEventsTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void tenDeliveriesAndEightConcurrentInvocationsMakeOneGlobalModel() throws Exception {
        // Prepare
        Federation federation = Federation.open(registry, store, "fedavg", 3, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b", "c");
        StoredObject a = federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 100);
        StoredObject b = federation.putUpdate("b", Federation.weights(3, 3, 3, 3, 3, 3, 3, 3), 100);
        StoredObject c = federation.putUpdate("c", Federation.weights(5, 5, 5, 5, 5, 5, 5, 5), 200);

        // Execute: a's event ten times, b's once, then c's eight times at once.
        List<String> outcomesOfA = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outcomesOfA.add(post(a).getString("objects[0].outcome"));
        }
        post(b);
        List<JsonPath> concurrent = concurrently(8, () -> post(c));

        // Assert
        assertThat(outcomesOfA.get(0)).isEqualTo("ACCEPTED");
        assertThat(outcomesOfA.subList(1, 10)).containsOnly("DUPLICATE");
        List<String> aggregatedBy = concurrent.stream()
                .map(reply -> reply.getString("objects[0].globalModelKey"))
                .filter(key -> key != null)
                .toList();
        assertThat(aggregatedBy).containsExactly(federation.globalKey(2));

        List<Map<String, Object>> registered = federation.updates(federation.roundId);
        assertThat(registered).hasSize(3);
        assertThat(registered).extracting(u -> u.get("status")).containsOnly("ACCEPTED");
        assertThat(store.list("models/" + federation.model + "/global/")).extracting(StoredObject::key)
                .containsExactly(federation.globalKey(1), federation.globalKey(2));
        assertThat(store.list("models/" + federation.model + "/tmp/")).isEmpty();
        assertThat(federation.versions()).extracting(v -> v.get("round")).containsExactlyInAnyOrder(1, 2);
        assertThat(federation.currentRound().getInt("number")).isEqualTo(2);
        // (100·1 + 100·3 + 200·5) / 400 = 3.5 everywhere: no update lost or counted twice.
        assertThat(federation.readGlobal(2).tensor("01Linear_weight")).containsOnly(3.5f);
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(new float[] {3.5f, 3.5f},
                within(0f));
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    private static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
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
