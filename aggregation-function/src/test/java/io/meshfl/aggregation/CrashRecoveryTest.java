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
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill-in-the-middle: the winner of the close dies after aggregating, before publishing the global model. The round
 * stays AGGREGATING under the dead winner's lease; the event's redelivery after the lease takes the round over and
 * completes it. Time passes on the registry database's clock, never by sleeping.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class CrashRecoveryTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Inject
    CrashingObjectStore crashing;

    @Test
    void retryAfterTheLeaseCompletesTheRoundWithTheSameResult() throws Exception {
        // Prepare
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        StoredObject a = federation.putUpdate("a", Federation.weights(1, 2, 3, 4, 5, 6, 7, 8), 100);
        StoredObject b = federation.putUpdate("b", Federation.weights(3, 4, 5, 6, 7, 8, 9, 10), 300);
        post(a).statusCode(200);
        crashing.crashOnNextPromotion(federation.model);

        // Execute: the winner dies after aggregating, before publishing the global model.
        post(b).statusCode(500);
        JsonPath stuck = federation.round(federation.roundId);
        Optional<StoredObject> publishedBeforeRetry = store.head(federation.globalKey(2));
        // Within the lease (made an hour long, so that this check cannot race the test profile's three seconds).
        RoundTime.leaseEndsIn(registry.jdbcUrl(), federation.roundId, Duration.ofHours(1));
        JsonPath early = post(b).statusCode(200).extract().jsonPath();
        RoundTime.leaseExpired(registry.jdbcUrl(), federation.roundId);
        JsonPath retry = post(b).statusCode(200).extract().jsonPath();

        // Assert
        assertThat(stuck.getString("state")).isEqualTo("AGGREGATING");
        assertThat(publishedBeforeRetry).isEmpty();
        assertThat(early.getString("objects[0].outcome")).isEqualTo("DUPLICATE");
        assertThat(early.getString("objects[0].globalModelKey")).as("no takeover within the lease").isNull();
        assertThat(retry.getString("objects[0].outcome")).isEqualTo("DUPLICATE");
        assertThat(retry.getString("objects[0].globalModelKey")).isEqualTo(federation.globalKey(2));
        assertThat(federation.round(federation.roundId).getString("state")).isEqualTo("CLOSED");
        assertThat(federation.currentRound().getInt("number")).isEqualTo(2);
        assertThat(store.list("models/" + federation.model + "/tmp/")).isEmpty();
        // (100·a + 300·b) / 400
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(8.5f, 9.5f);
    }

    private io.restassured.response.ValidatableResponse post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then();
    }
}
