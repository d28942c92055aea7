package io.meshfl.registry.model;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * An update's example count (its weight in FedAvg) is bounded by its data product's declared records, as approved at
 * enrolment, and by the model policy's {@code maxExamplesPerUpdate}: the round view tells the aggregator each
 * domain's bound, and the registry itself stores a claim above it as REJECTED with the reason.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class ExampleBoundTest {

    private static void product(String domain, long records) {
        as(Tokens.domain(domain)).contentType("application/yaml")
                .body(Fixtures.yaml(DataProductDescriptors.churn(domain + "-churn", domain, "1.0.0", "churn-prediction", records)))
                .post("/data-products").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private static long federation(String model, String policyCap, String domain, long records) {
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(model, "churn-prediction", "fedavg", 1)
                        .replace("\"fedproxMu\": 0.01", "\"fedproxMu\": 0.01" + policyCap))
                .post("/models").then().statusCode(201);
        Fixtures.domain(domain);
        product(domain, records);
        Fixtures.enrol(model, domain, domain + "-churn");
        return as(Tokens.governance()).contentType(ContentType.JSON).body("{}")
                .post("/models/" + model + "/rounds").then().statusCode(201).extract().jsonPath().getLong("roundId");
    }

    @Test
    void updateClaimingMoreExamplesThanItsProductDeclaresIsRejectedWithTheReason() {
        String model = unique("bound");
        String domain = unique("d");
        long round = federation(model, "", domain, 50);

        as(Tokens.governance()).get("/models/" + model + "/enrolments").then().statusCode(200)
                .body("[0].records", equalTo(50));
        as(Tokens.function()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("maxExamples." + domain, equalTo(50));

        as(Tokens.function()).contentType(ContentType.JSON).body(Fixtures.updateJson(model, 1, domain, "e1", 51))
                .post("/rounds/" + round + "/updates").then().statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("numExamples 51 is above the bound of 50"))
                .body("reason", containsString("declared 50 records"));
    }

    @Test
    void claimWithinTheBoundIsAccepted() {
        String model = unique("bound");
        String domain = unique("d");
        long round = federation(model, "", domain, 50);

        as(Tokens.function()).contentType(ContentType.JSON).body(Fixtures.updateJson(model, 1, domain, "e1", 50))
                .post("/rounds/" + round + "/updates").then().statusCode(201)
                .body("status", equalTo("ACCEPTED"))
                .body("reason", nullValue());
    }

    @Test
    void policyCapBelowTheRecordsIsTheBound() {
        String model = unique("cap");
        String domain = unique("d");
        long round = federation(model, ", \"maxExamplesPerUpdate\": 20", domain, 50);

        as(Tokens.function()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("policy.maxExamplesPerUpdate", equalTo(20))
                .body("maxExamples." + domain, equalTo(20));
        as(Tokens.function()).contentType(ContentType.JSON).body(Fixtures.updateJson(model, 1, domain, "e1", 21))
                .post("/rounds/" + round + "/updates").then().statusCode(201)
                .body("status", equalTo("REJECTED"))
                .body("reason", containsString("maxExamplesPerUpdate"));
    }

    @Test
    void reRegisteringTheProductWithMoreRecordsDoesNotRaiseTheApprovedBound() {
        String model = unique("snapshot");
        String domain = unique("d");
        long round = federation(model, "", domain, 50);

        product(domain, 1_000_000);

        as(Tokens.function()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("maxExamples." + domain, equalTo(50));
        as(Tokens.function()).contentType(ContentType.JSON).body(Fixtures.updateJson(model, 1, domain, "e1", 999_999))
                .post("/rounds/" + round + "/updates").then().statusCode(201)
                .body("status", equalTo("REJECTED"));
    }

    @Test
    void aDomainTokenSeesOnlyItsOwnBound() {
        String model = unique("own");
        String domain = unique("d");
        federation(model, "", domain, 50);
        String other = unique("o");
        Fixtures.domain(other);
        product(other, 70);
        Fixtures.enrol(model, other, other + "-churn");

        as(Tokens.domain(domain)).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("maxExamples." + domain, equalTo(50))
                .body("maxExamples." + other, nullValue());
        as(Tokens.function()).get("/models/" + model + "/rounds/current").then().statusCode(200)
                .body("maxExamples." + other, equalTo(70));
    }
}
