package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
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
        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("aws-s3-notification.json")))
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

        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
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

        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.outcome", contains("IGNORED"));
    }

    @Test
    void minioWebhookNotificationIsRead() {
        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("minio-notification.json")))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.key", contains("myphoto.jpg"))
                .body("objects.outcome", contains("IGNORED"));
    }

    @Test
    void s3TestEventNamesNoObject() {
        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(DocumentedEvents.load("aws-s3-test-event.json")))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects", hasSize(0));
    }

    /** Events the function cannot read are the sender's error: 400 with the parse error, never a 500 to retry. */
    @Test
    void unreadableEventsAreRefusedWith400AndTheParseError() {
        var withoutEtag = DocumentedEvents.s3Notification("aws-s3-notification.json",
                "models/m/rounds/1/updates/a.safetensors", "x");
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutEtag.path("Records").get(0).path("s3").path("object"))
                .remove("eTag");
        Map<String, String> events = new LinkedHashMap<>();
        events.put("{}", "its top-level fields are []");
        events.put("[]", "is a JSON object, got array");
        events.put("{\"Records\":[]}", "its top-level fields are [Records]");
        events.put("{\"hello\":\"world\"}", "its top-level fields are [hello]");
        events.put("not json", "not JSON");
        events.put(DocumentedEvents.text(withoutEtag), "without an ETag");

        events.forEach((event, error) -> asFunction(registry).contentType(ContentType.JSON).body(event)
                .when().post("/aggregate")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString(error)));
    }

    @Test
    void eventRepeatingOneRecordAThousandTimesReadsItOnce() {
        ObjectNode event = DocumentedEvents.load("aws-s3-notification.json");
        ArrayNode records = event.withArray("Records");
        JsonNode record = records.get(0);
        for (int i = 1; i < 1_000; i++) {
            records.add(record.deepCopy());
        }

        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects", hasSize(1))
                .body("objects[0].outcome", equalTo("IGNORED"));
    }

    @Test
    void eventNamingMoreDistinctObjectsThanTheLimitIsRefused() {
        ObjectNode event = DocumentedEvents.load("aws-s3-notification.json");
        ArrayNode records = event.withArray("Records");
        JsonNode record = records.get(0);
        for (int i = 1; i <= 100; i++) {
            ObjectNode copy = record.deepCopy();
            ((ObjectNode) copy.path("s3").path("object")).put("key", "models/m/global/" + i + ".safetensors");
            records.add(copy);
        }

        asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(event))
                .when().post("/aggregate")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("more than 100 distinct objects (101 records)"));
    }
}
