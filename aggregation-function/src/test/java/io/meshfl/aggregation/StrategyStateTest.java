package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.update.UpdateMetadata;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A stateful strategy across two rounds: FedAvgM's server momentum is written beside global model 2 and read back
 * for round 2, so global model 3 is what momentum makes of it, not a plain mean.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class StrategyStateTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void serverMomentumCarriesFromOneRoundToTheNextThroughTheObjectStore() {
        // Prepare: FedAvgM, η = 1, β = 0.5; one domain, quorum 1; global model 1 all zeros.
        Federation federation = Federation.open(registry, store, "fedavgm",
                "{\"serverLearningRate\": 1.0, \"momentum\": 0.5}", 1, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a");

        // Execute: round 1 with an update of 2s, round 2 with an update of 3s.
        JsonPath first = post(federation.putUpdate("a", 1, Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 10));
        JsonPath second = post(federation.putUpdate("a", 2, Federation.weights(3, 3, 3, 3, 3, 3, 3, 3), 10));

        // Assert: m₁ = 2 − 0 = 2, x₂ = 0 + 2 = 2; m₂ = 0.5·2 + (3 − 2) = 2, x₃ = 2 + 2 = 4 (a plain mean gives 3).
        assertThat(first.getString("objects[0].globalModelKey")).isEqualTo(federation.globalKey(2));
        assertThat(second.getString("objects[0].globalModelKey")).isEqualTo(federation.globalKey(3));
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(2f, 2f);
        assertThat(federation.readGlobal(3).tensor("01Linear_bias")).containsExactly(4f, 4f);
        assertThat(federation.readGlobal(3).tensor("01Linear_weight")).containsOnly(4f);
        String statePrefix = "models/" + federation.model + "/state/";
        assertThat(store.list(statePrefix)).extracting(StoredObject::key)
                .containsExactly(statePrefix + "2.safetensors", statePrefix + "3.safetensors");
        assertThat(federation.version(2).get("strategyStateKey")).isEqualTo(statePrefix + "2.safetensors");
        assertThat(federation.globalMetadata(3)).containsEntry("strategy", "fedavgm")
                .containsEntry("report.updates", "1");
    }

    @Test
    void serverMomentumContinuesFromTheGlobalModelARetriedRoundReopenedOn() {
        // Prepare: FedAvgM, η = 1, β = 0.5, quorum 2 of a and b. Round 1: both send 2s → x₂ = 2, m = 2 (state/2).
        // Round 2: only a, then the deadline passes: it fails below quorum and round 3 reopens on global model 2.
        Federation federation = Federation.open(registry, store, "fedavgm",
                "{\"serverLearningRate\": 1.0, \"momentum\": 0.5}", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        post(federation.putUpdate("a", 1, Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 10));
        post(federation.putUpdate("b", 1, Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 10));
        post(federation.putUpdate("a", 2, Federation.weights(9, 9, 9, 9, 9, 9, 9, 9), 10));
        RoundTime.pastDeadline(registry.jdbcUrl(), currentRoundId(federation));
        asFunction(registry).contentType(ContentType.JSON).body("{}").post("/sweep").then().statusCode(200)
                .body("expired", org.hamcrest.Matchers.equalTo(1));

        // Execute: round 3 trains from global model 2; both send 3s.
        post(update(federation, "a", 3, Federation.weights(3, 3, 3, 3, 3, 3, 3, 3)));
        JsonPath third = post(update(federation, "b", 3, Federation.weights(3, 3, 3, 3, 3, 3, 3, 3)));

        // Assert: m = 0.5·2 + (3 − 2) = 2, x = 2 + 2 = 4 — the momentum of state/2, not a fresh start (which gives 3).
        assertThat(third.getString("objects[0].globalModelKey")).isEqualTo(federation.globalKey(4));
        assertThat(federation.readGlobal(4).tensor("01Linear_bias")).containsExactly(4f, 4f);
    }

    /** A signed update of {@code round} trained from the round's global model (2, after the failed round 2). */
    private StoredObject update(Federation federation, String domain, int round, ModelWeights weights) {
        UpdateMetadata metadata = UpdateMetadata.unsigned(federation.model, federation.domain(domain), round,
                federation.globalSha256(2), 10, "{}");
        return federation.putUpdate(federation.updateKey(round, domain), weights, metadata,
                federation.keys.get(domain).signer());
    }

    private static long currentRoundId(Federation federation) {
        return federation.asGovernance().get("/models/" + federation.model + "/rounds/current").then().statusCode(200)
                .extract().jsonPath().getLong("roundId");
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
