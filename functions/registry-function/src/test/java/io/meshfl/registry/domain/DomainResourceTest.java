package io.meshfl.registry.domain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** A domain written through the API is read back from the real PostgreSQL table. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DomainResourceTest {

    @Test
    void enrolledDomainIsStoredAndReadBack() {
        given().contentType(ContentType.JSON)
                .body("""
                        {"id": "retail", "name": "Retail", "owner": "retail-data@example.org"}
                        """)
                .when().post("/domains")
                .then().statusCode(201);

        given().when().get("/domains/retail")
                .then().statusCode(200)
                .body("name", equalTo("Retail"))
                .body("owner", equalTo("retail-data@example.org"))
                .body("status", equalTo("ACTIVE"));
        given().when().get("/domains")
                .then().statusCode(200)
                .body("id", hasItem("retail"));
    }

    @Test
    void unknownDomainIsNotFound() {
        given().when().get("/domains/nobody").then().statusCode(404);
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }
}
