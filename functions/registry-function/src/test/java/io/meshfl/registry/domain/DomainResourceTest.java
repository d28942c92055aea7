package io.meshfl.registry.domain;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Domains written through the API are read back from the real PostgreSQL table, by those allowed to. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class DomainResourceTest {

    @Test
    void enrolledDomainIsStoredAndReadBack() {
        String id = unique("retail");
        String key = Fixtures.ed25519PublicKey();
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("""
                        {"id": "%s", "name": "Retail", "owner": "retail-data@example.org", "publicKey": "%s"}
                        """.formatted(id, key))
                .when().post("/domains")
                .then().statusCode(201);

        as(Tokens.function()).when().get("/domains/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Retail"))
                .body("owner", equalTo("retail-data@example.org"))
                .body("publicKey", equalTo(key))
                .body("status", equalTo("ACTIVE"));
        as(Tokens.governance()).when().get("/domains")
                .then().statusCode(200)
                .body("id", hasItem(id));
    }

    @Test
    void domainTokenSeesOnlyItsOwnDomain() {
        String mine = unique("mine");
        String theirs = unique("theirs");
        Fixtures.domain(mine);
        Fixtures.domain(theirs);

        as(Tokens.domain(mine)).get("/domains").then().statusCode(200).body("id", contains(mine));
        as(Tokens.domain(mine)).get("/domains/" + theirs).then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void secondEnrolmentOfTheSameIdIsAConflictAndChangesNothing() {
        String id = unique("twice");
        Fixtures.domain(id);

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"id\": \"%s\", \"name\": \"Other\", \"owner\": \"x@example.org\"}".formatted(id))
                .post("/domains").then().statusCode(409).contentType("application/problem+json");

        assertThat(count("domain WHERE id = ? AND name = ?", id, "Domain " + id)).isEqualTo(1);
    }

    @Test
    void badDomainNamesEveryBadFieldAndWritesNothing() {
        long before = count("domain");

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"id\": \"Not A Slug\", \"owner\": \"\", \"publicKey\": \"bm90IGEga2V5\"}")
                .post("/domains")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("id", "name", "owner", "publicKey"));

        assertThat(count("domain")).isEqualTo(before);
    }

    @Test
    void governanceRotatesTheKeyAndSuspendsButADomainCannot() {
        String id = unique("rotate");
        Fixtures.domain(id);
        String newKey = Fixtures.ed25519PublicKey();

        as(Tokens.domain(id)).contentType(ContentType.JSON).body("{\"status\": \"ACTIVE\", \"name\": \"Mine\"}")
                .patch("/domains/" + id).then().statusCode(403);
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"publicKey\": \"%s\", \"status\": \"SUSPENDED\"}".formatted(newKey))
                .patch("/domains/" + id)
                .then().statusCode(200)
                .body("publicKey", equalTo(newKey))
                .body("status", equalTo("SUSPENDED"))
                .body("name", equalTo("Domain " + id));

        assertThat(count("domain WHERE id = ? AND status = 'SUSPENDED' AND public_key = ?", id, newKey)).isEqualTo(1);
    }

    @Test
    void unknownDomainIsNotFound() {
        as(Tokens.governance()).when().get("/domains/nobody").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void readinessIncludesTheDatabaseAndNeedsNoToken() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }
}
