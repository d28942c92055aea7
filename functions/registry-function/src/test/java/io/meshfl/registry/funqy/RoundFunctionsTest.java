package io.meshfl.registry.funqy;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Funqy HTTP binding of the round operations: same services, problems as values. */
@QuarkusTest
@Tag("http")
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class RoundFunctionsTest {

    @Test
    void registerCloseAndCompleteThroughFunctions() {
        String model = unique("fn");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        String update = Fixtures.updateJson(model, 1, domain, "e1", 9);

        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"roundId\": %d, \"update\": %s}".formatted(round, update))
                .post("/registerUpdate")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("result.status", equalTo("ACCEPTED"))
                .body("result.duplicate", equalTo(false));
        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"roundId\": %d, \"update\": %s}".formatted(round, update))
                .post("/registerUpdate")
                .then().statusCode(200)
                .body("result.duplicate", equalTo(true));
        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"roundId\": %d, \"leaseSeconds\": 30}".formatted(round))
                .post("/closeRound")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("result.accepted.domain", hasItem(domain));
        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"roundId\": %d, \"completion\": {\"globalModelKey\": \"models/%s/global/2.safetensors\", \"checksum\": \"c\", \"aggregatedFrom\": [\"%s\"]}}"
                        .formatted(round, model, domain))
                .post("/completeRound")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("result.next.number", equalTo(2));

        assertThat(count("round_update WHERE round_id = ?", round)).isEqualTo(1);
        assertThat(count("round WHERE model_id = ? AND number = 2 AND state = 'OPEN'", model)).isEqualTo(1);
    }

    @Test
    void lostCloseIsAProblemValueWithTheWinnersState() {
        String model = unique("fn");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 5);
        String close = "{\"roundId\": %d}".formatted(round);
        as(Tokens.function()).contentType(ContentType.JSON).body(close).post("/closeRound").then().statusCode(200)
                .body("ok", equalTo(true));

        as(Tokens.function()).contentType(ContentType.JSON).body(close)
                .post("/closeRound")
                .then().statusCode(200)
                .body("ok", equalTo(false))
                .body("problem.status", equalTo(409))
                .body("problem.extensions.round.state", equalTo("AGGREGATING"));
    }

    @Test
    void badInputNamesTheField() {
        String model = unique("fn");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);

        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"roundId\": %d, \"update\": %s}".formatted(round, Fixtures.updateJson(model, 1, domain, "e", -1)))
                .post("/registerUpdate")
                .then().statusCode(200)
                .body("ok", equalTo(false))
                .body("problem.status", equalTo(400))
                .body("problem.errors.field", hasItem("numExamples"));

        assertThat(count("round_update WHERE round_id = ?", round)).isZero();
    }

    @Test
    void functionsNeedTheRightRole() {
        String model = unique("fn");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        String close = "{\"roundId\": %d}".formatted(round);

        given().contentType(ContentType.JSON).body(close).post("/closeRound").then().statusCode(401);
        as(Tokens.domain(domain)).contentType(ContentType.JSON).body(close).post("/closeRound")
                .then().statusCode(200)
                .body("ok", equalTo(false))
                .body("problem.status", equalTo(403));
        as(Tokens.domain(domain)).contentType(ContentType.JSON).body("{\"model\": \"%s\"}".formatted(model))
                .post("/currentRound")
                .then().statusCode(200)
                .body("result.enrolment.dataProduct", equalTo(domain + "-churn"));

        assertThat(count("round WHERE id = ? AND state = 'OPEN'", round)).isEqualTo(1);
    }
}
