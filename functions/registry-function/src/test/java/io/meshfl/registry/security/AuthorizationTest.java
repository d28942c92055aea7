package io.meshfl.registry.security;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what: roles, a domain token bound to its own domain, and tokens that prove nothing. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class AuthorizationTest {

    private String model;
    private String mine;
    private String theirs;
    private long round;

    @BeforeEach
    void federation() {
        model = unique("authz");
        mine = unique("mine");
        theirs = unique("theirs");
        round = Fixtures.federation(model, 1, mine, theirs);
    }

    @Test
    void domainTokenCannotRegisterAnUpdateForAnotherDomainNorForItself() {
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body(Fixtures.updateJson(model, 1, theirs, "e", 10))
                .post("/rounds/" + round + "/updates")
                .then().statusCode(403).contentType("application/problem+json");
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body(Fixtures.updateJson(model, 1, mine, "e", 10))
                .post("/rounds/" + round + "/updates")
                .then().statusCode(403);

        assertThat(count("round_update WHERE round_id = ?", round)).isZero();
    }

    @Test
    void domainTokenCannotReadAnotherDomainsDataProductNorSeeItsLocation() {
        as(Tokens.domain(mine)).get("/data-products/" + theirs + "-churn")
                .then().statusCode(403)
                .body(not(containsString("s3://")));
        as(Tokens.domain(mine)).get("/data-products")
                .then().statusCode(200)
                .body("id", contains(mine + "-churn"));
        as(Tokens.domain(mine)).get("/models/" + model + "/enrolments")
                .then().statusCode(200)
                .body("domain", contains(mine));
        as(Tokens.domain(mine)).get("/models/" + model + "/rounds/current")
                .then().statusCode(200)
                .body(not(containsString("/domains/" + theirs + "/")));
        as(Tokens.domain(mine)).get("/data-products/" + mine + "-churn")
                .then().statusCode(200)
                .body("location", containsString("/domains/" + mine + "/"));
    }

    @Test
    void domainTokenCannotRegisterADataProductForAnotherDomain() {
        long before = count("data_product");

        as(Tokens.domain(mine)).contentType("application/yaml")
                .body(Fixtures.yaml(DataProductDescriptors.churn(unique("forged"), theirs, "1.0.0", "churn-prediction")))
                .post("/data-products")
                .then().statusCode(403);

        assertThat(count("data_product")).isEqualTo(before);
    }

    @Test
    void domainTokenCannotChangeAModel() {
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(unique("mine-model"), "churn-prediction", "fedavg", 1))
                .post("/models").then().statusCode(403);
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s-churn\"}".formatted(mine, mine))
                .post("/models/" + model + "/enrolments").then().statusCode(403);
        as(Tokens.domain(mine)).contentType(ContentType.JSON).body("{}")
                .post("/models/" + model + "/rounds").then().statusCode(403);
        as(Tokens.domain(mine)).contentType(ContentType.JSON).body("{}")
                .post("/rounds/" + round + "/close").then().statusCode(403);

        assertThat(count("round WHERE model_id = ? AND state = 'OPEN'", model)).isEqualTo(1);
    }

    @Test
    void domainTokenCannotReportMetricsForAnotherDomain() {
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"numExamples\": 5, \"metrics\": {\"loss\": 1.0}}".formatted(theirs))
                .post("/rounds/" + round + "/metrics").then().statusCode(403);

        assertThat(count("evaluation WHERE round_id = ?", round)).isZero();
    }

    @Test
    void domainNotEnrolledCannotReadTheCurrentRound() {
        String outsider = unique("outsider");
        Fixtures.domain(outsider);

        as(Tokens.domain(outsider)).get("/models/" + model + "/rounds/current").then().statusCode(403);
    }

    @Test
    void missingTokenIsUnauthorized() {
        given().get("/models/" + model).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/rounds/" + round + "/close").then().statusCode(401);
    }

    @Test
    void expiredTokenIsUnauthorized() {
        Instant issued = Instant.now().minusSeconds(7200);
        String expired = Tokens.issuer().mint(new LocalTokenIssuer.Claims("governance", Set.of("governance"), null,
                issued, issued.plusSeconds(60)));

        as(expired).get("/models/" + model).then().statusCode(401);
    }

    @Test
    void tokenSignedByAnotherKeyIsUnauthorized(@TempDir Path otherKeys) {
        String forged = LocalTokenIssuer.inDirectory(otherKeys, Tokens.issuer().issuer()).governance();

        as(forged).get("/models/" + model).then().statusCode(401);
        as("not-a-jwt").get("/models/" + model).then().statusCode(401);
    }

    @Test
    void tokenOfAnotherIssuerIsUnauthorized() {
        var keysOfThisIssuer = Tokens.issuer().publicKeyPem().getParent();
        String stranger = LocalTokenIssuer.inDirectory(keysOfThisIssuer, "https://someone.else").governance();

        as(stranger).get("/models/" + model).then().statusCode(401);
    }
}
