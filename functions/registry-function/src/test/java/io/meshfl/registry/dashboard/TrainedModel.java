package io.meshfl.registry.dashboard;

import static io.meshfl.registry.Fixtures.as;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.Tokens;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;

/**
 * A model trained through the registry's own API the way the functions would: domains {@code a} (hold-out 100
 * examples) and {@code b} (300) send accepted updates every round, {@code c}'s update of round 2 is rejected for
 * its norm, each round is closed and completed by the "aggregation function", and after each round a and b
 * report the new global model's metrics on their hold-out splits:
 * <pre>
 * after round r:  a accuracy 0.65 + 0.05r, loss 0.70 - 0.10r     b accuracy 0.75 + 0.05r, loss 0.50 - 0.10r
 * weighted:       accuracy (100·a + 300·b) / 400 = 0.725 + 0.05r, loss 0.55 - 0.10r
 * </pre>
 */
record TrainedModel(String id, String a, String b, String c, List<Long> roundIds) {

    static final String REJECTION = "update L2 norm 412.5 > 100.0, the policy's bound";

    static TrainedModel withCompletedRounds(int rounds) {
        String model = Fixtures.unique("churn");
        String a = Fixtures.unique("alpha");
        String b = Fixtures.unique("beta");
        String c = Fixtures.unique("gamma");
        long roundId = Fixtures.federation(model, 2, a, b, c);
        List<Long> ids = new ArrayList<>(List.of(roundId));
        for (int r = 1; r <= rounds; r++) {
            Fixtures.acceptedUpdate(roundId, model, r, a, 1000);
            Fixtures.acceptedUpdate(roundId, model, r, b, 3000);
            if (r == 2) {
                as(Tokens.function()).contentType(ContentType.JSON)
                        .body(Fixtures.updateJson(model, r, c, "etag-" + c, 2000)
                                .replace("\"ACCEPTED\"", "\"REJECTED\", \"reason\": \"" + REJECTION + "\""))
                        .post("/rounds/" + roundId + "/updates").then().statusCode(201);
            } else {
                // c never answers: the round closes at its deadline with a and b (the quorum).
                Fixtures.pastDeadline(roundId);
            }
            String lease = as(Tokens.function()).contentType(ContentType.JSON).body("{\"leaseSeconds\": 60}")
                    .post("/rounds/" + roundId + "/close").then().statusCode(200).extract().path("leaseUntil");
            if (r == 1) {
                // Round 1 is aggregated past one invocation: the function records its plan while it aggregates.
                as(Tokens.function()).contentType(ContentType.JSON).body("""
                        {"planId": "0a1b2c3d", "shards": 2, "fanout": 10, "depth": 3, "invocations": 7, "updates": 2,
                         "updateBytes": 4096}
                        """).queryParam("leaseUntil", lease).post("/rounds/" + roundId + "/plan").then().statusCode(200)
                        .body("aggregationPlan.shards", org.hamcrest.Matchers.is(2));
            }
            roundId = as(Tokens.function()).contentType(ContentType.JSON)
                    .body("""
                            {"globalModelKey": "models/%s/global/%d.safetensors", "checksum": "sha256:%d",
                             "aggregatedFrom": ["%s", "%s"]}
                            """.formatted(model, r + 1, r + 1, a, b))
                    .post("/rounds/" + roundId + "/complete").then().statusCode(200)
                    .extract().jsonPath().getLong("next.roundId");
            ids.add(roundId);
            if (r == 1) {
                // An OPEN round takes no plan: only the holder of an AGGREGATING round's lease makes one.
                as(Tokens.function()).contentType(ContentType.JSON).body("""
                        {"planId": "0a1b2c3d", "shards": 2, "fanout": 10, "depth": 3, "invocations": 7, "updates": 2,
                         "updateBytes": 4096}
                        """).queryParam("leaseUntil", lease).post("/rounds/" + roundId + "/plan").then()
                        .statusCode(409);
            }
            report(roundId, a, 100, 0.65 + 0.05 * r, 0.70 - 0.10 * r);
            report(roundId, b, 300, 0.75 + 0.05 * r, 0.50 - 0.10 * r);
        }
        return new TrainedModel(model, a, b, c, ids);
    }

    private static void report(long roundId, String domain, long examples, double accuracy, double loss) {
        as(Tokens.domain(domain)).contentType(ContentType.JSON)
                .body("""
                        {"domain": "%s", "numExamples": %d, "metrics": {"accuracy": %s, "loss": %s}}
                        """.formatted(domain, examples, accuracy, loss))
                .post("/rounds/" + roundId + "/metrics").then().statusCode(201);
    }
}
