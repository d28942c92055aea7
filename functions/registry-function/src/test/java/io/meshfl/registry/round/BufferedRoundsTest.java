package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous models (FedBuff): a round is a buffer that takes updates trained from any round's model up to
 * maxStaleness versions behind, closes at bufferSize, and counts each update once across buffers.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class BufferedRoundsTest {

    private static String asyncModel(String model, String policy) {
        return Fixtures.modelJson(model, "churn-prediction", "fedavg", 2).replace(
                "\"minDomains\": 2, \"maxDomains\": 10, \"roundDeadlineSeconds\": 600,", policy);
    }

    private static ValidatableResponse post(String path, String json) {
        return as(Tokens.function()).contentType(ContentType.JSON).body(json).post(path).then();
    }

    /** Domain's update trained from base round {@code base}, registered into buffer {@code buffer}. */
    private static ValidatableResponse register(long buffer, String model, int base, String domain) {
        return post("/rounds/" + buffer + "/updates", Fixtures.updateJson(model, base, domain, "etag-" + domain + base, 5));
    }

    private static long complete(long buffer, String model, int number, String... domains) {
        return post("/rounds/" + buffer + "/complete", """
                {"globalModelKey": "models/%s/global/%d.safetensors", "checksum": "%s", "aggregatedFrom": ["%s"]}
                """.formatted(model, number + 1, "c" + number, String.join("\", \"", domains)))
                .statusCode(200).extract().jsonPath().getLong("next.roundId");
    }

    @Test
    void anAsyncPolicyIsCheckedAtRegistrationAndGetsItsDefaults() {
        String model = unique("async-ok");
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(asyncModel(model, "\"mode\": \"async\", \"bufferSize\": 3,")).post("/models").then()
                .statusCode(201)
                .body("policy.mode", equalTo("async"))
                .body("policy.staleness.function", equalTo("polynomial"))
                .body("policy.staleness.a", equalTo(0.5f))
                .body("policy.minDomains", equalTo(1));

        as(Tokens.governance()).contentType(ContentType.JSON).body(asyncModel(unique("async-bad"),
                        "\"mode\": \"async\", \"participants\": 2, \"maxStaleness\": -1,"
                                + " \"staleness\": {\"function\": \"exponential\"},"))
                .post("/models").then().statusCode(400)
                .body("errors.field", hasItems("policy.bufferSize", "policy.participants", "policy.maxStaleness",
                        "policy.staleness.function"));
        as(Tokens.governance()).contentType(ContentType.JSON).body(asyncModel(unique("async-hinge"),
                        "\"mode\": \"async\", \"bufferSize\": 2, \"staleness\": {\"function\": \"hinge\", \"a\": 0},"))
                .post("/models").then().statusCode(400)
                .body("errors.field", hasItems("policy.staleness.a"));
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(unique("sync-buffer"), "churn-prediction", "fedavg", 2)
                        .replace("\"minDomains\": 2", "\"minDomains\": 2, \"bufferSize\": 2, \"mode\": \"batch\""))
                .post("/models").then().statusCode(400)
                .body("errors.field", hasItems("policy.bufferSize", "policy.mode"));
    }

    @Test
    void aBufferClosesAtBufferSizeAndTheNextTakesUpdatesFromOlderRoundsOnce() {
        // Prepare: buffers of 2, three domains, round (buffer) 1 open on version 1
        String model = unique("buffer");
        String a = unique("a");
        String b = unique("b");
        String c = unique("c");
        Fixtures.model(model, asyncModel(model, "\"mode\": \"async\", \"bufferSize\": 2, \"maxStaleness\": 1,"));
        long first = Fixtures.openWith(model, a, b, c);

        // Execute: one update in: not due; two: due; the third arrives while buffer 1 aggregates
        register(first, model, 1, a).statusCode(201).body("status", equalTo("ACCEPTED"));
        post("/rounds/" + first + "/close", "{}").statusCode(409).body("detail", containsString("1 of 2 updates"));
        register(first, model, 1, b).statusCode(201).body("status", equalTo("ACCEPTED"));
        post("/rounds/" + first + "/close", "{}").statusCode(200);
        register(first, model, 1, c).statusCode(409).body("detail", containsString("deliver it again"));
        long second = complete(first, model, 1, a, b);

        // Assert: c's update from round 1 is one version stale in buffer 2; a's again is the stored one, not a new one
        register(second, model, 1, c).statusCode(201).body("status", equalTo("ACCEPTED")).body("baseRound", equalTo(1));
        register(second, model, 1, c).statusCode(200).body("duplicate", equalTo(true));
        register(second, model, 1, a).statusCode(200).body("duplicate", equalTo(true))
                .body("roundId", equalTo((int) first));
        register(second, model, 2, c).statusCode(409).body("detail", containsString("one per domain per buffer"));
        assertThat(count("round_update WHERE round_id = ?", second)).isEqualTo(1);
        assertThat(count("round_update u JOIN round r ON r.id = u.round_id WHERE r.model_id = ?", model)).isEqualTo(3);
    }

    @Test
    void anUpdateStalerThanMaxStalenessIsRejectedWithTheReasonAndNothingElseChanges() {
        // Prepare: buffers of 1, maxStaleness 1; versions 1 → 2 → 3
        String model = unique("stale");
        String a = unique("a");
        String b = unique("b");
        Fixtures.model(model, asyncModel(model, "\"mode\": \"async\", \"bufferSize\": 1, \"maxStaleness\": 1,"));
        long first = Fixtures.openWith(model, a, b);
        register(first, model, 1, a).statusCode(201);
        post("/rounds/" + first + "/close", "{}").statusCode(200);
        long second = complete(first, model, 1, a);
        register(second, model, 2, a).statusCode(201);
        post("/rounds/" + second + "/close", "{}").statusCode(200);
        long third = complete(second, model, 2, a);
        Map<String, Long> before = Fixtures.storedState();

        // Execute: b trained from version 1, two versions behind buffer 3's version 3
        register(third, model, 1, b).statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("stale: trained from version 1 (round 1), 2 versions behind"))
                .body("reason", containsString("maxStaleness is 1"));

        // Assert: the verdict is the only row added, with the event announcing it; buffer 3 is still open, not due
        Map<String, Long> after = Fixtures.storedState();
        for (String added : List.of("round_update rows", "round_event_outbox rows")) {
            assertThat(after.get(added)).as(added).isEqualTo(before.get(added) + 1);
            after.remove(added);
            before.remove(added);
        }
        assertThat(after).isEqualTo(before);
        post("/rounds/" + third + "/close", "{}").statusCode(409).body("detail", containsString("0 of 1 updates"));
        as(Tokens.function()).get("/models/" + model + "/rounds/1").then().statusCode(200)
                .body("globalModelKey", equalTo("models/" + model + "/global/1.safetensors"));
    }
}
