package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Funqy HTTP (the local mesh and tests): the S3 event notification JSON posted to /aggregate. */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@Tag("http")
class HttpBindingTest {

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
    void updateKeyInAnS3NotificationIsDecodedAndRecognised() {
        var event = DocumentedEvents.s3Notification("aws-s3-notification.json",
                "models%2Fcredit-risk%2Frounds%2F3%2Fupdates%2Fretail.safetensors", "0123456789abcdef0123456789abcdef");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.key", contains("models/credit-risk/rounds/3/updates/retail.safetensors"))
                .body("objects.outcome", contains("RECEIVED"));
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
