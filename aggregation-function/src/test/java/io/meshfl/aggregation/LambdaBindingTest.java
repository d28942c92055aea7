package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Amazon Lambda (Funqy): documented events posted to Quarkus's mock Lambda event server (RestAssured points at it
 * in this build), which hands them to the function through the real Lambda runtime loop.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("lambda")
class LambdaBindingTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void s3InvokingTheFunctionDirectlyHasTheUpdateValidatedAndAccepted() {
        Federation federation = twoDomains();
        StoredObject update = federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10);

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/")
                .then().statusCode(200)
                .body("objects.key", contains(federation.updateKey(1, "a")))
                .body("objects.outcome", contains("ACCEPTED"));
    }

    @Test
    void sqsBatchCarryingBothUpdatesOfTheRoundAggregatesIt() {
        Federation federation = twoDomains();
        StoredObject a = federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10);
        StoredObject b = federation.putUpdate("b", Federation.weights(3, 3, 3, 3, 3, 3, 3, 3), 10);
        ObjectNode batch = DocumentedEvents.load("aws-sqs-s3-notification.json");
        ((ObjectNode) batch.withArray("Records").get(0)).put("body", DocumentedEvents.text(Federation.event(a)));
        ((ObjectNode) batch.withArray("Records").get(1)).put("body", DocumentedEvents.text(Federation.event(b)));

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(batch))
                .when().post("/")
                .then().statusCode(200)
                .body("batchItemFailures", empty());

        assertThat(federation.round(federation.roundId).getString("state")).isEqualTo("CLOSED");
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(2f, 2f);
    }

    @Test
    void sqsBatchOfAnS3NotificationAndTheS3TestEventSucceedsWhole() {
        given().contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("aws-sqs-s3-notification.json")))
                .when().post("/")
                .then().statusCode(200)
                .body("batchItemFailures", empty());
    }

    /** Retrying cannot make a message readable: it is consumed (and logged), not failed back to SQS for ever. */
    @Test
    void sqsMessageThatCannotBeReadIsConsumedNotRetried() {
        ObjectNode batch = DocumentedEvents.load("aws-sqs-s3-notification.json");
        ((ObjectNode) batch.withArray("Records").get(1)).put("body", "{\"hello\":\"world\"}");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(batch))
                .when().post("/")
                .then().statusCode(200)
                .body("batchItemFailures", empty());
    }

    @Test
    void unreadableDirectInvocationIsAnsweredWithAReportNamingTheError() {
        given().contentType(ContentType.JSON).body("{\"Records\":[]}")
                .when().post("/")
                .then().statusCode(200)
                .body("objects", empty())
                .body("unreadable", containsString("its top-level fields are [Records]"));
    }

    @Test
    void eventBridgeObjectCreatedHasTheUpdateValidatedAndAccepted() {
        Federation federation = twoDomains();
        StoredObject update = federation.putUpdate("b", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10);

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(
                        DocumentedEvents.eventBridge(update.key(), update.etag())))
                .when().post("/")
                .then().statusCode(200)
                .body("objects[0].key", equalTo(federation.updateKey(1, "b")))
                .body("objects[0].outcome", equalTo("ACCEPTED"));
    }

    private Federation twoDomains() {
        return Federation.open(registry, store, "fedavg", 2, 100.0, Federation.weights(0, 0, 0, 0, 0, 0, 0, 0),
                "a", "b");
    }
}
