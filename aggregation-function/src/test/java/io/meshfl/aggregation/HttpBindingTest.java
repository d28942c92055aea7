package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Funqy HTTP (the local mesh and tests): the S3 event notification JSON posted to /aggregate. */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class HttpBindingTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void documentedS3NotificationIsReadAndItsNonUpdateKeyIgnored() {
        given().contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("aws-s3-notification.json")))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects", hasSize(1))
                .body("objects[0].key", equalTo("b21b84d653bb07b05b1e6b33684dc11b"))
                .body("objects[0].etag", equalTo("b21b84d653bb07b05b1e6b33684dc11b"))
                .body("objects[0].outcome", equalTo("IGNORED"));
    }

    @Test
    void updateNamedByAnS3NotificationIsDecodedValidatedAndAccepted() {
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        StoredObject update = federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10);

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.key", contains(federation.updateKey(1, "a")))
                .body("objects.outcome", contains("ACCEPTED"))
                .body("millis.validate", greaterThan(0f));
    }

    @Test
    void functionsOwnWritesAreIgnored() {
        var event = DocumentedEvents.s3Notification("aws-s3-notification.json",
                "models/credit-risk/global/4.safetensors", "0123456789abcdef0123456789abcdef");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.outcome", contains("IGNORED"));
    }

    @Test
    void minioWebhookNotificationIsRead() {
        given().contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("minio-notification.json")))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.key", contains("myphoto.jpg"))
                .body("objects.outcome", contains("IGNORED"));
    }

    @Test
    void s3TestEventNamesNoObject() {
        given().contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("aws-s3-test-event.json")))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects", hasSize(0));
    }

    @Test
    void unreadableEventFailsTheInvocation() {
        given().contentType(ContentType.JSON).body("{\"hello\":\"world\"}")
                .when().post("/aggregate")
                .then().statusCode(500);
    }
}
