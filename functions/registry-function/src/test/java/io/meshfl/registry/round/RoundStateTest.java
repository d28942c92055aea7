package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** The round state machine: leases, idempotent completion, late updates, failure and retry. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class RoundStateTest {

    private static ValidatableResponse post(String path, String json) {
        return as(Tokens.function()).contentType(ContentType.JSON).body(json).post(path).then();
    }

    private static String completion(String model, String checksum, String... domains) {
        return """
                {"globalModelKey": "models/%s/global/2.safetensors", "checksum": "%s", "aggregatedFrom": ["%s"]}
                """.formatted(model, checksum, String.join("\", \"", domains));
    }

    @Test
    void aggregatingRoundWithAnExpiredLeaseIsTakenOverByALaterCloseWhosePlanAloneIsRecorded() {
        String model = unique("lease");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 5);
        String stale = post("/rounds/" + round + "/close", "{\"leaseSeconds\": 1}").statusCode(200)
                .extract().path("leaseUntil");
        post("/rounds/" + round + "/close", "{\"leaseSeconds\": 60}").statusCode(409)
                .body("round.state", equalTo("AGGREGATING"));

        Fixtures.leaseExpired(round);

        String current = post("/rounds/" + round + "/close", "{\"leaseSeconds\": 60}").statusCode(200)
                .body("round.state", equalTo("AGGREGATING"))
                .body("accepted", hasSize(1))
                .extract().path("leaseUntil");
        assertThat(count("round WHERE id = ? AND lease_until > now() + interval '30 seconds'", round)).isEqualTo(1);

        // Issue 18: the plan is the current lease holder's. The take-over records its plan; the stale closer's plan,
        // before or after it, is refused and changes nothing; a plan naming no lease is refused by name.
        String takeOverPlan = plan("0a1b", 2);
        String stalePlan = plan("0c0d", 3);
        postPlan(round, stale, stalePlan).statusCode(409).body("detail", containsString("current lease holder"));
        postPlan(round, current, takeOverPlan).statusCode(200).body("aggregationPlan.planId", equalTo("0a1b"));
        postPlan(round, stale, stalePlan).statusCode(409);
        as(Tokens.function()).contentType(ContentType.JSON).body(stalePlan).post("/rounds/" + round + "/plan").then()
                .statusCode(400).body(containsString("leaseUntil"));
        postPlan(round, "yesterday", stalePlan).statusCode(400).body(containsString("leaseUntil"));
        as(Tokens.governance()).get("/rounds/" + round).then().statusCode(200)
                .body("aggregationPlan.planId", equalTo("0a1b")).body("aggregationPlan.shards", equalTo(2));
    }

    private static String plan(String planId, int shards) {
        return """
                {"planId": "%s", "shards": %d, "fanout": 10, "depth": 3, "invocations": 7, "updates": 1,
                 "updateBytes": 4096}
                """.formatted(planId, shards);
    }

    private static ValidatableResponse postPlan(long round, String leaseUntil, String plan) {
        return as(Tokens.function()).contentType(ContentType.JSON).queryParam("leaseUntil", leaseUntil).body(plan)
                .post("/rounds/" + round + "/plan").then();
    }

    @Test
    void repeatedCompletionAnswersTheSameAndADifferentOneConflicts() {
        String model = unique("again");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 5);
        post("/rounds/" + round + "/close", "{}").statusCode(200);
        int next = post("/rounds/" + round + "/complete", completion(model, "c1", domain)).statusCode(200)
                .extract().path("next.roundId");

        post("/rounds/" + round + "/complete", completion(model, "c1", domain)).statusCode(200)
                .body("next.roundId", equalTo(next))
                .body("closed.state", equalTo("CLOSED"));
        post("/rounds/" + round + "/complete", completion(model, "c2", domain)).statusCode(409)
                .contentType("application/problem+json");

        assertThat(count("round WHERE model_id = ?", model)).isEqualTo(2);
        assertThat(count("model_version WHERE model_id = ? AND checksum = 'c1'", model)).isEqualTo(1);
    }

    @Test
    void completingAnOpenRoundIsAConflict() {
        String model = unique("early");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 5);

        post("/rounds/" + round + "/complete", completion(model, "c", domain)).statusCode(409)
                .body("round.state", equalTo("OPEN"));

        assertThat(count("round WHERE model_id = ?", model)).isEqualTo(1);
    }

    @Test
    void completionBelowTheQuorumIsRefused() {
        String model = unique("quorum");
        String a = unique("a");
        String b = unique("b");
        long round = Fixtures.federation(model, 2, a, b);
        Fixtures.acceptedUpdate(round, model, 1, a, 5);
        post("/rounds/" + round + "/close", "{}").statusCode(409).body("round.state", equalTo("OPEN"));
        Fixtures.acceptedUpdate(round, model, 1, b, 5);
        post("/rounds/" + round + "/close", "{}").statusCode(200);

        post("/rounds/" + round + "/complete", completion(model, "c", a)).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("aggregatedFrom"));

        assertThat(count("round WHERE model_id = ?", model)).isEqualTo(1);
    }

    @Test
    void acceptedUpdateForAClosingRoundIsStoredAsLate() {
        String model = unique("late");
        String early = unique("early");
        String late = unique("late");
        long round = Fixtures.federation(model, 1, early, late);
        Fixtures.acceptedUpdate(round, model, 1, early, 5);
        Fixtures.pastDeadline(round);
        post("/rounds/" + round + "/close", "{}").statusCode(200);

        post("/rounds/" + round + "/updates", Fixtures.updateJson(model, 1, late, "e", 7)).statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("late"));

        assertThat(count("round_update WHERE round_id = ? AND status = 'ACCEPTED'", round)).isEqualTo(1);
    }

    @Test
    void suspendedDomainsUpdateIsStoredAsRejected() {
        String model = unique("susp");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        as(Tokens.governance()).contentType(ContentType.JSON).body("{\"status\": \"SUSPENDED\"}")
                .patch("/domains/" + domain).then().statusCode(200);

        post("/rounds/" + round + "/updates", Fixtures.updateJson(model, 1, domain, "e", 7)).statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("suspended"));

        assertThat(count("round_update WHERE round_id = ? AND status = 'ACCEPTED'", round)).isZero();
    }

    @Test
    void rejectedUpdateIsKeptWithItsReason() {
        String model = unique("rej");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);

        post("/rounds/" + round + "/updates", Fixtures.updateJson(model, 1, domain, "e", 7)
                .replace("\"status\": \"ACCEPTED\"", "\"status\": \"REJECTED\", \"reason\": \"norm 1e9 above bound 100\""))
                .statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", equalTo("norm 1e9 above bound 100"));
        as(Tokens.governance()).get("/rounds/" + round + "/updates").then().statusCode(200)
                .body("[0].reason", equalTo("norm 1e9 above bound 100"));
    }

    @Test
    void failedRoundIsFinalAndTheGovernanceMayOpenTheNextFromTheLastGlobalModel() {
        String model = unique("fail");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        as(Tokens.governance()).contentType(ContentType.JSON).body("{}").post("/models/" + model + "/rounds")
                .then().statusCode(409).body("round.state", equalTo("OPEN"));

        post("/rounds/" + round + "/fail", "{\"reason\": \"deadline passed without quorum\"}").statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("failureReason", equalTo("deadline passed without quorum"));
        post("/rounds/" + round + "/fail", "{\"reason\": \"again\"}").statusCode(200)
                .body("failureReason", equalTo("deadline passed without quorum"));
        post("/rounds/" + round + "/close", "{}").statusCode(409);

        as(Tokens.governance()).contentType(ContentType.JSON).body("{}").post("/models/" + model + "/rounds")
                .then().statusCode(201)
                .body("number", equalTo(2))
                .body("globalModelKey", equalTo("models/" + model + "/global/1.safetensors"));
    }

    @Test
    void roundsAreReadByNumberOrId() {
        String model = unique("read");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);

        as(Tokens.governance()).get("/rounds/" + round).then().statusCode(200)
                .body("model", equalTo(model)).body("state", equalTo("OPEN"));
        as(Tokens.governance()).get("/rounds/999999999").then().statusCode(404);
        as(Tokens.governance()).get("/models/" + unique("none") + "/rounds/current").then().statusCode(404);
    }

    @Test
    void everyGlobalModelsRecordedChecksumIsServedWithTheRoundThatTrainsFromIt() {
        // Prepare: round 1 opened with the initial model's checksum, as the governance records it
        String model = unique("sum");
        String domain = unique("d");
        Fixtures.model(model, "churn-prediction", 1);
        Fixtures.domain(domain);
        Fixtures.dataProduct(domain + "-churn", domain, "churn-prediction");
        Fixtures.enrol(model, domain, domain + "-churn");
        as(Tokens.governance()).contentType(ContentType.JSON).body("{\"globalModelChecksum\": \"NOT-HEX\"}")
                .post("/models/" + model + "/rounds").then().statusCode(400)
                .body("errors[0].field", equalTo("globalModelChecksum"));
        long round = as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"globalModelChecksum\": \"%s\"}".formatted("a1".repeat(32)))
                .post("/models/" + model + "/rounds").then().statusCode(201).extract().jsonPath().getLong("roundId");

        // Execute, Assert: round 1 serves the initial checksum, round 2 the one the aggregation recorded
        as(Tokens.domain(domain)).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("globalModelChecksum", equalTo("a1".repeat(32)));
        Fixtures.acceptedUpdate(round, model, 1, domain, 5);
        post("/rounds/" + round + "/close", "{}").statusCode(200);
        post("/rounds/" + round + "/complete", completion(model, "b2".repeat(32), domain)).statusCode(200);
        as(Tokens.domain(domain)).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("number", equalTo(2))
                .body("globalModelChecksum", equalTo("b2".repeat(32)));
    }
}
