package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who a round expects: a seeded sample recorded when the round opens, read identically by every caller, and the only
 * domains whose updates count.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class ParticipationTest {

    private static String modelJson(String model, String participation) {
        return Fixtures.modelJson(model, "churn-prediction", "fedavg", 2)
                .replace("\"minDomains\": 2", "\"minDomains\": 2" + participation);
    }

    @Test
    void theSampleIsDrawnFromTheSeedRecordedAndTheSameForEveryReader() {
        // Prepare: five domains, a sample of three, training seed 7
        String model = unique("sample");
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            domains.add(unique("d" + i));
        }
        Fixtures.model(model, modelJson(model, ", \"participants\": 3"));

        // Execute
        long round = Fixtures.openWith(model, domains.toArray(String[]::new));

        // Assert: the draw of ParticipantSample from seed 7 and round 1, the same in every view of the round
        List<String> expected = ParticipantSample.choose(domains,
                new ModelDefinition.Policy(2, 10, 600L, null, null, null, null, 3, null, null), model, 7L, 1);
        assertThat(expected).hasSize(3);
        List<List<String>> seen = List.of(
                as(Tokens.governance()).get("/rounds/" + round).then().statusCode(200)
                        .extract().jsonPath().getList("expectedDomains", String.class),
                as(Tokens.function()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                        .extract().jsonPath().getList("expectedDomains", String.class),
                as(Tokens.domain(domains.get(0))).get("/models/" + model + "/rounds/current").then().statusCode(200)
                        .extract().jsonPath().getList("expectedDomains", String.class),
                as(Tokens.governance()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                        .extract().jsonPath().getList("expectedDomains", String.class));
        assertThat(seen).allSatisfy(list -> assertThat(list).isEqualTo(expected));
    }

    @Test
    void anUpdateFromADomainOutsideTheSampleIsRejectedWithTheReason() {
        String model = unique("outside");
        List<String> domains = List.of(unique("d0"), unique("d1"), unique("d2"), unique("d3"));
        Fixtures.model(model, modelJson(model, ", \"participants\": 2"));
        long round = Fixtures.openWith(model, domains.toArray(String[]::new));
        List<String> expected = as(Tokens.governance()).get("/rounds/" + round).then().extract().jsonPath()
                .getList("expectedDomains", String.class);
        String outsider = domains.stream().filter(d -> !expected.contains(d)).findFirst().orElseThrow();

        as(Tokens.function()).contentType(ContentType.JSON).body(Fixtures.updateJson(model, 1, outsider, "e", 5))
                .post("/rounds/" + round + "/updates").then().statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("'" + outsider + "' is not expected in round 1"));
        Fixtures.acceptedUpdate(round, model, 1, expected.get(0), 5);
        Fixtures.acceptedUpdate(round, model, 1, expected.get(1), 5);
        as(Tokens.function()).contentType(ContentType.JSON).body("{}").post("/rounds/" + round + "/close")
                .then().statusCode(200);
    }

    @Test
    void aDomainEnrolledAfterTheRoundOpenedIsNotExpectedInIt() {
        String model = unique("fixed");
        String first = unique("first");
        String second = unique("second");
        Fixtures.model(model, modelJson(model, "").replace("\"minDomains\": 2", "\"minDomains\": 1"));
        long round = Fixtures.openWith(model, first);
        Fixtures.domain(second);
        Fixtures.dataProduct(second + "-churn", second, "churn-prediction");
        Fixtures.enrol(model, second, second + "-churn");

        as(Tokens.governance()).get("/rounds/" + round).then().statusCode(200)
                .body("expectedDomains", equalTo(List.of(first)));
    }

    @Test
    void participationSettingsAreCheckedAtRegistration() {
        String model = unique("bad");
        record Case(String policy, String field) {
        }
        for (Case c : List.of(new Case(", \"participants\": 1", "policy.participants"),
                new Case(", \"participants\": 11", "policy.participants"),
                new Case(", \"participants\": 3, \"participationFraction\": 0.5", "policy.participants"),
                new Case(", \"participationFraction\": 1.5", "policy.participationFraction"),
                new Case(", \"participationFraction\": 0", "policy.participationFraction"),
                new Case(", \"onQuorumMissed\": \"never\"", "policy.onQuorumMissed"))) {
            as(Tokens.governance()).contentType(ContentType.JSON).body(modelJson(model, c.policy()))
                    .post("/models").then().statusCode(400)
                    .body("errors.field", hasItem(c.field()));
        }
        as(Tokens.governance()).contentType(ContentType.JSON).body(modelJson(model, ", \"participationFraction\": 0.5"))
                .post("/models").then().statusCode(201)
                .body("policy.onQuorumMissed", equalTo("retry"))
                .body("policy.participationFraction", equalTo(0.5f));
    }
}
