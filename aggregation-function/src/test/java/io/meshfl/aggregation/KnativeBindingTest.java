package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Knative (Funqy Knative Events): the documented CloudEvent of Knative's aws-sqs IntegrationSource, in binary and
 * structured mode, and a MinIO webhook POSTed without CloudEvent headers.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@Tag("knative")
class KnativeBindingTest {

    private static final String UPDATE = "models/credit-risk/rounds/5/updates/retail.safetensors";

    @Test
    void binaryModeCloudEventOfThePinnedTypeIsRead() {
        ObjectNode structured = documentedCloudEventNaming(UPDATE);

        binaryMode(structured)
                .body(DocumentedEvents.text(structured.get("data")))
                .when().post("/")
                .then().statusCode(200)
                .header("ce-type", "aggregate.output")
                .header("ce-source", "aggregate")
                .body("objects.key", contains(UPDATE))
                .body("objects.outcome", contains("RECEIVED"));
    }

    @Test
    void structuredModeCloudEventOfThePinnedTypeIsRead() {
        given().contentType("application/cloudevents+json")
                .body(DocumentedEvents.text(documentedCloudEventNaming(UPDATE)))
                .when().post("/")
                .then().statusCode(200)
                .body("type", equalTo("aggregate.output"))
                .body("data.objects.key", contains(UPDATE))
                .body("data.objects.outcome", contains("RECEIVED"));
    }

    @Test
    void cloudEventOfAnotherTypeIsNotRoutedToTheFunction() {
        ObjectNode structured = documentedCloudEventNaming(UPDATE);
        structured.put("type", "dev.knative.connector.event.aws-s3");

        binaryMode(structured)
                .body(DocumentedEvents.text(structured.get("data")))
                .when().post("/")
                .then().statusCode(404);
    }

    @Test
    void minioWebhookWithoutCloudEventHeadersIsReadOnTheFunctionPath() {
        var event = DocumentedEvents.s3Notification("minio-notification.json",
                "models%2Fcredit-risk%2Frounds%2F5%2Fupdates%2Fretail.safetensors", "430f89010c77aa34fc8760696da62d08-1");

        given().contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.key", contains(UPDATE))
                .body("objects.outcome", contains("RECEIVED"));
    }

    private static ObjectNode documentedCloudEventNaming(String key) {
        ObjectNode structured = DocumentedEvents.load("knative-aws-sqs-structured.json");
        ObjectNode object = (ObjectNode) structured.path("data").path("Records").get(0).path("s3").path("object");
        object.put("key", key);
        return structured;
    }

    /** The HTTP binding's binary mode: every attribute but data as a {@code ce-} header. */
    private static RequestSpecification binaryMode(ObjectNode structured) {
        RequestSpecification request = given().contentType(ContentType.JSON);
        structured.fields().forEachRemaining(attribute -> {
            String name = attribute.getKey();
            if (!name.equals("data") && !name.equals("datacontenttype")) {
                request.header("ce-" + name, attribute.getValue().asText());
            }
        });
        return request;
    }
}
