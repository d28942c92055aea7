package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rounds that always end: a round closes when every expected domain is in, or at its deadline with its quorum; below
 * the quorum at the deadline it fails and (retry) the next opens on the same global model. Time passes by moving the
 * round's deadline on the database's clock, never by sleeping.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class RoundDeadlineTest {

    private static ValidatableResponse post(String path, String json) {
        return as(Tokens.function()).contentType(ContentType.JSON).body(json).post(path).then();
    }

    private static long federation(String model, String policy, String... domains) {
        Fixtures.model(model, Fixtures.modelJson(model, "churn-prediction", "fedavg", 2)
                .replace("\"minDomains\": 2", policy));
        return Fixtures.openWith(model, domains);
    }

    /** The due list's entry for a round (null if the round is not due). */
    private static Map<String, Object> due(long round) {
        List<Map<String, Object>> due = as(Tokens.function()).get("/rounds/due").then().statusCode(200)
                .extract().jsonPath().getList("");
        return due.stream().filter(d -> ((Number) ((Map<?, ?>) d.get("round")).get("roundId")).longValue() == round)
                .findFirst().orElse(null);
    }

    @Test
    void aRoundWithItsQuorumWaitsForTheOthersAndClosesAtTheDeadline() {
        String model = unique("dl");
        String a = unique("a");
        String b = unique("b");
        String c = unique("c");
        long round = federation(model, "\"minDomains\": 2", a, b, c);
        Fixtures.acceptedUpdate(round, model, 1, a, 5);
        Fixtures.acceptedUpdate(round, model, 1, b, 5);

        post("/rounds/" + round + "/close", "{}").statusCode(409)
                .body("detail", containsString("2 of 3 expected domains have an accepted update (quorum 2)"))
                .body("round.state", equalTo("OPEN"));
        assertThat(due(round)).isNull();
        Fixtures.pastDeadline(round);

        assertThat(due(round)).containsEntry("action", "AGGREGATE");
        post("/rounds/" + round + "/close", "{}").statusCode(200).body("accepted", hasSize(2));
        post("/rounds/" + round + "/updates", Fixtures.updateJson(model, 1, c, "e", 5)).statusCode(201)
                .body("status", equalTo("REJECTED")).body("reason", containsString("late"));
    }

    @Test
    void everyExpectedDomainJudgedClosesBeforeTheDeadlineEvenWithARejection() {
        String model = unique("all");
        String a = unique("a");
        String b = unique("b");
        long round = federation(model, "\"minDomains\": 1", a, b);
        Fixtures.acceptedUpdate(round, model, 1, a, 5);
        post("/rounds/" + round + "/updates", Fixtures.updateJson(model, 1, b, "e", 5)
                .replace("\"status\": \"ACCEPTED\"", "\"status\": \"REJECTED\", \"reason\": \"norm too large\""))
                .statusCode(201);

        post("/rounds/" + round + "/close", "{}").statusCode(200).body("accepted", hasSize(1));
    }

    @Test
    void belowQuorumAtTheDeadlineTheRoundFailsAndTheNextOpensOnTheSameGlobalModel() {
        String model = unique("retry");
        String a = unique("a");
        String b = unique("b");
        String c = unique("c");
        long round = federation(model, "\"minDomains\": 3", a, b, c);
        Fixtures.acceptedUpdate(round, model, 1, a, 5);
        post("/rounds/" + round + "/expire", "{}").statusCode(409)
                .body("detail", containsString("not due"));
        Fixtures.pastDeadline(round);
        assertThat(due(round)).containsEntry("action", "EXPIRE");

        post("/rounds/" + round + "/close", "{}").statusCode(409);
        JsonPath expired = post("/rounds/" + round + "/expire", "{}").statusCode(200).extract().jsonPath();
        JsonPath again = post("/rounds/" + round + "/expire", "{}").statusCode(200).extract().jsonPath();

        assertThat(expired.getString("failed.state")).isEqualTo("FAILED");
        assertThat(expired.getString("failed.failureReason")).startsWith(
                "quorum missed: 1 of 3 required updates by the deadline ").endsWith(
                "(accepted: " + a + "; missing: " + String.join(", ", List.of(b, c).stream().sorted().toList()) + ")");
        assertThat(expired.getInt("next.number")).isEqualTo(2);
        assertThat(expired.getString("next.state")).isEqualTo("OPEN");
        assertThat(expired.getString("next.globalModelKey")).isEqualTo("models/" + model + "/global/1.safetensors");
        assertThat(again.getLong("next.roundId")).isEqualTo(expired.getLong("next.roundId"));
        assertThat(again.getString("failed.failureReason")).isEqualTo(expired.getString("failed.failureReason"));
        assertThat(count("round WHERE model_id = ?", model)).isEqualTo(2);
        assertThat(due(round)).isNull();
        as(Tokens.governance()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("number", equalTo(2)).body("state", equalTo("OPEN"));
    }

    @Test
    void withOnQuorumMissedStopTheFailedRoundStaysTheLast() {
        String model = unique("stop");
        String a = unique("a");
        long round = federation(model, "\"minDomains\": 1, \"onQuorumMissed\": \"stop\"", a);
        Fixtures.pastDeadline(round);

        post("/rounds/" + round + "/expire", "{}").statusCode(200)
                .body("failed.state", equalTo("FAILED"))
                .body("failed.failureReason", containsString("quorum missed: 0 of 1"))
                .body("next", nullValue());

        assertThat(count("round WHERE model_id = ?", model)).isEqualTo(1);
        as(Tokens.governance()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("state", equalTo("FAILED"));
    }

    @Test
    void anUpdateRegisteredAfterTheDeadlineIsLate() {
        String model = unique("late");
        String a = unique("a");
        long round = federation(model, "\"minDomains\": 1", a);
        Fixtures.pastDeadline(round);

        post("/rounds/" + round + "/updates", Fixtures.updateJson(model, 1, a, "e", 5)).statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("deadline"));
    }

    @Test
    void anAggregatingRoundWhoseLeaseRanOutIsDueForTakeOver() {
        String model = unique("take");
        String a = unique("a");
        long round = federation(model, "\"minDomains\": 1", a);
        Fixtures.acceptedUpdate(round, model, 1, a, 5);
        assertThat(due(round)).containsEntry("action", "AGGREGATE");
        post("/rounds/" + round + "/close", "{\"leaseSeconds\": 60}").statusCode(200);
        assertThat(due(round)).isNull();

        Fixtures.leaseExpired(round);

        assertThat(due(round)).containsEntry("action", "TAKE_OVER");
        post("/rounds/" + round + "/expire", "{}").statusCode(409);
        as(Tokens.domain(a)).get("/rounds/due").then().statusCode(403);
    }
}
