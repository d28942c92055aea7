package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.strategy.RdpAccountant;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The model's policy ({@code policy.dp}) makes the server's aggregation differentially private around the model's
 * own strategy, and its ε budget is enforced there: the round that would exceed it fails, no model is published.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class ServerSidePrivacyTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void thePolicysPrivacyBudgetIsSpentOnTheServerAndARoundBeyondItFails() {
        // Prepare: FedAvg with policy.dp (C = 1, σ = 1) and a budget that allows exactly one round.
        double oneRound = RdpAccountant.epsilon(1.0, 1.0, 1, 1e-5).epsilon();
        String dp = "{\"clipNorm\": 1.0, \"noiseMultiplier\": 1.0, \"delta\": 1e-5, \"epsilonBudget\": %s}"
                .formatted(oneRound * 1.0001);
        Federation federation = Federation.open(registry, store, "fedavg", "{}", dp, 1, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a");

        // Execute: round 1 within the budget; round 2 beyond it.
        aggregate(federation.putUpdate("a", 1, Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10));
        long secondRound = federation.currentRound().getLong("roundId");
        aggregate(federation.putUpdate("a", 2, Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 10));

        // Assert: model 2 is the private one, with the ε it spent; round 2 failed naming the budget, no model 3.
        assertThat(federation.globalMetadata(2)).containsEntry("strategy", "dp-fedavg")
                .containsEntry("report.epsilon", Double.toString(oneRound))
                .containsEntry("report.clipped", "1");
        assertThat(federation.round(secondRound).getString("state")).isEqualTo("FAILED");
        assertThat(federation.round(secondRound).getString("failureReason")).contains("above the budget");
        assertThat(store.head(federation.globalKey(3))).isEmpty();
    }

    private void aggregate(StoredObject update) {
        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200);
    }
}
