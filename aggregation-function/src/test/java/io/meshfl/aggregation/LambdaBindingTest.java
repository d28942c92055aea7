package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Amazon Lambda (Funqy): documented events posted to Quarkus's mock Lambda event server (RestAssured points at it
 * in this build), which hands them to the function through the real Lambda runtime loop.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@Tag("lambda")
class LambdaBindingTest {

    @Test
    void s3InvokingTheFunctionDirectlyIsReadPerObject() {
        var event = DocumentedEvents.s3Notification("aws-s3-notification.json",
                "models%2Fcredit-risk%2Frounds%2F1%2Fupdates%2Fretail.safetensors", "0123456789abcdef0123456789abcdef");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/")
                .then().statusCode(200)
                .body("objects.key", contains("models/credit-risk/rounds/1/updates/retail.safetensors"))
                .body("objects.outcome", contains("RECEIVED"));
    }

    @Test
    void sqsBatchOfAnS3NotificationAndTheS3TestEventSucceedsWhole() {
        given().contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("aws-sqs-s3-notification.json")))
                .when().post("/")
                .then().statusCode(200)
                .body("batchItemFailures", empty());
    }

    @Test
    void sqsMessageThatCannotBeReadIsReportedAsTheBatchItemFailureAlone() {
        ObjectNode batch = DocumentedEvents.load("aws-sqs-s3-notification.json");
        ((ObjectNode) batch.withArray("Records").get(1)).put("body", "{\"hello\":\"world\"}");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(batch))
                .when().post("/")
                .then().statusCode(200)
                .body("batchItemFailures.itemIdentifier", contains("2e1424d4-f796-459a-8184-9c92662be6da"));
    }

    @Test
    void eventBridgeObjectCreatedIsRead() {
        var event = DocumentedEvents.eventBridge("models/credit-risk/rounds/2/updates/retail.safetensors",
                "b1946ac92492d2347c6235b4d2611184");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/")
                .then().statusCode(200)
                .body("objects[0].key", equalTo("models/credit-risk/rounds/2/updates/retail.safetensors"))
                .body("objects[0].outcome", equalTo("RECEIVED"));
    }
}
