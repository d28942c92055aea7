package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function's configured object store is the real S3 server, and readiness reports it. */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
class ObjectStoreConnectionTest {

    @Inject
    ObjectStore store;

    @Test
    void configuredStorePutsGetsAndListsOnTheRealServer() {
        byte[] content = "aggregation".getBytes(StandardCharsets.UTF_8);

        StoredObject stored = store.put("connection-test/aggregation/object", content, Map.of());

        assertThat(store.read("connection-test/aggregation/object")).isEqualTo(content);
        assertThat(store.list("connection-test/aggregation/")).containsExactly(stored);
    }

    // The application's own HTTP port: in the Lambda build RestAssured points at the mock event server instead.
    @TestHTTPResource("/q/health/ready")
    URL readiness;

    @Test
    void readinessIsUpWhenTheBucketAnswers() {
        given().when().get(readiness)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("object-store"));
    }
}
