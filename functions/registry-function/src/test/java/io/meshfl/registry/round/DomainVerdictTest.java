package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * A domain learns where it stands: its token reads the rounds of its models and its own updates' verdicts (status,
 * reason), never another domain's, and a domain outside the model reads nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class DomainVerdictTest {

    @Test
    void aDomainReadsItsOwnVerdictAndNotTheOthers() {
        // Prepare: alpha accepted, beta rejected with a reason; gamma is enrolled in another model only.
        String model = unique("verdicts");
        String alpha = unique("alpha");
        String beta = unique("beta");
        long round = Fixtures.federation(model, 2, alpha, beta);
        Fixtures.acceptedUpdate(round, model, 1, alpha, 10);
        String rejected = Fixtures.updateJson(model, 1, beta, "etag-beta", 0)
                .replace("\"ACCEPTED\"}", "\"REJECTED\", \"reason\": \"signature does not verify\"}");
        as(Tokens.function()).contentType(ContentType.JSON).body(rejected).post("/rounds/" + round + "/updates")
                .then().statusCode(201);
        String gamma = unique("gamma");
        Fixtures.federation(unique("other"), 1, gamma);

        // Execute + assert: each domain sees its own verdict only.
        as(Tokens.domain(beta)).get("/rounds/" + round + "/updates").then().statusCode(200)
                .body("domain", contains(beta))
                .body("[0].status", equalTo("REJECTED"))
                .body("[0].reason", equalTo("signature does not verify"));
        as(Tokens.domain(alpha)).get("/rounds/" + round + "/updates").then().statusCode(200)
                .body("domain", contains(alpha))
                .body("[0].status", equalTo("ACCEPTED"));
        as(Tokens.domain(alpha)).get("/rounds/" + round).then().statusCode(200)
                .body("state", equalTo("OPEN"))
                .body("expectedDomains", containsInAnyOrder(alpha, beta));
        as(Tokens.function()).get("/rounds/" + round + "/updates").then().statusCode(200)
                .body("domain", containsInAnyOrder(alpha, beta));

        as(Tokens.domain(gamma)).get("/rounds/" + round + "/updates").then().statusCode(403)
                .body("detail", containsString("not enrolled"));
        as(Tokens.domain(gamma)).get("/rounds/" + round).then().statusCode(403);
    }
}
