package io.meshfl.registry;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.registry.events.RoundEvents;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

/** One model through a whole round: enrol three domains, open, register, close, complete, round 2 opens. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class LifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Test
    void threeDomainsTrainOneRoundAndTheNextRoundOpens() throws Exception {
        // Prepare: three domains with data products, a model needing all three, round 1 open.
        String model = unique("churn");
        String a = unique("alpha");
        String b = unique("beta");
        String c = unique("gamma");
        long round1 = Fixtures.federation(model, 3, a, b, c);

        // A training function (domain token) asks for the current round and learns its own data product.
        as(Tokens.domain(a)).get("/models/" + model + "/rounds/current")
                .then().statusCode(200)
                .body("roundId", equalTo((int) round1))
                .body("number", equalTo(1))
                .body("state", equalTo("OPEN"))
                .body("globalModelKey", equalTo("models/" + model + "/global/1.safetensors"))
                .body("strategy.name", equalTo("fedavg"))
                .body("policy.minDomains", equalTo(3))
                .body("training.localEpochs", equalTo(2))
                .body("enrolment.dataProduct", equalTo(a + "-churn"))
                .body("enrolment.location", equalTo("s3://meshfl/domains/" + a + "/products/churn.csv"))
                .body("enrolment.format", equalTo("csv"))
                .body("enrolment.labelColumn", equalTo("churned"))
                .body("enrolment.columns.name", contains("tenure", "monthly_charges", "churned"));

        // Execute: the aggregation function registers three updates, closes and completes the round.
        Fixtures.acceptedUpdate(round1, model, 1, a, 100);
        Fixtures.acceptedUpdate(round1, model, 1, b, 200);
        Fixtures.acceptedUpdate(round1, model, 1, c, 300);
        as(Tokens.function()).contentType(ContentType.JSON).body("{\"leaseSeconds\": 60}")
                .post("/rounds/" + round1 + "/close")
                .then().statusCode(200)
                .body("round.state", equalTo("AGGREGATING"))
                .body("accepted", hasSize(3))
                .body("accepted.numExamples", containsInAnyOrder(100, 200, 300));
        String globalKey = "models/" + model + "/global/2.safetensors";
        String completion = """
                {"globalModelKey": "%s", "checksum": "sha256:1234", "aggregatedFrom": ["%s", "%s", "%s"],
                 "strategyStateKey": "models/%s/state/2.safetensors"}
                """.formatted(globalKey, a, b, c, model);
        var completed = as(Tokens.function()).contentType(ContentType.JSON).body(completion)
                .post("/rounds/" + round1 + "/complete")
                .then().statusCode(200)
                .body("closed.state", equalTo("CLOSED"))
                .body("next.number", equalTo(2))
                .body("next.state", equalTo("OPEN"))
                .body("next.globalModelKey", equalTo(globalKey))
                .extract().jsonPath();

        // Assert: round 2 is current, version 2 exists with its lineage, round 1 is CLOSED in the database.
        long round2 = completed.getLong("next.roundId");
        as(Tokens.function()).get("/models/" + model + "/rounds/current")
                .then().statusCode(200)
                .body("roundId", equalTo((int) round2))
                .body("enrolment", nullValue());
        assertThat(count("round WHERE model_id = ? AND state = 'CLOSED'", model)).isEqualTo(1);
        assertThat(count("round WHERE model_id = ? AND state = 'OPEN' AND number = 2", model)).isEqualTo(1);

        as(Tokens.domain(b)).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"numExamples\": 50, \"metrics\": {\"loss\": 0.3, \"accuracy\": 0.9}}".formatted(b))
                .post("/rounds/" + round2 + "/metrics").then().statusCode(201);
        as(Tokens.governance()).get("/models/" + model + "/versions")
                .then().statusCode(200)
                .body("round", contains(1, 2))
                .body("[1].key", equalTo(globalKey))
                .body("[1].checksum", equalTo("sha256:1234"))
                .body("[1].producedByRound", equalTo(1))
                .body("[1].aggregatedFrom", containsInAnyOrder(a, b, c))
                .body("[1].metrics[0].domain", equalTo(b))
                .body("[1].metrics[0].metrics.accuracy", equalTo(0.9f));
        as(Tokens.governance()).get("/models/" + model + "/versions/2/lineage")
                .then().statusCode(200)
                .body("contributions.domain", containsInAnyOrder(a, b, c))
                .body("contributions.dataProduct", containsInAnyOrder(a + "-churn", b + "-churn", c + "-churn"))
                .body("contributions.dataProductVersion", contains("1.0.0", "1.0.0", "1.0.0"))
                .body("contributions.numExamples", containsInAnyOrder(100, 200, 300));

        List<JsonNode> events = connector.sink(RoundEvents.CHANNEL).received().stream()
                .map(message -> read((String) message.getPayload()))
                .filter(event -> event.get("subject").asText().startsWith(model + "/"))
                .toList();
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly(
                RoundEvents.ROUND_OPENED, RoundEvents.UPDATE_ACCEPTED, RoundEvents.UPDATE_ACCEPTED,
                RoundEvents.UPDATE_ACCEPTED, RoundEvents.ROUND_CLOSED, RoundEvents.ROUND_OPENED);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("source").asText()).isEqualTo(RoundEvents.SOURCE);
            assertThat(event.has("id")).isTrue();
            assertThat(event.has("time")).isTrue();
        });
        assertThat(events.get(5).get("subject").asText()).isEqualTo(model + "/2");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }
}
