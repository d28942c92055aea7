package io.meshfl.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.meshfl.training.function.DomainTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function's configured object store is the real S3 server, and readiness reports it. */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
// The same resources as the training tests: the application starts once for all of them.
@QuarkusTestResource(RegistryTestResource.class)
@QuarkusTestResource(DomainTestResource.class)
class ObjectStoreConnectionTest {

    @Inject
    ObjectStore store;

    @Test
    void configuredStorePutsGetsAndListsOnTheRealServer() {
        byte[] content = "training".getBytes(StandardCharsets.UTF_8);

        StoredObject stored = store.put("connection-test/training/object", content, Map.of());

        assertThat(store.read("connection-test/training/object")).isEqualTo(content);
        assertThat(store.list("connection-test/training/")).containsExactly(stored);
    }

    @Test
    void readinessIsUpWhenTheBucketAnswers() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("object-store"));
    }
}
