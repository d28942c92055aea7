package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
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
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Knative (Funqy Knative Events): the documented CloudEvent of Knative's aws-sqs IntegrationSource, in binary and
 * structured mode, and a MinIO webhook POSTed without CloudEvent headers; one round, three domains, quorum three. A
 * PingSource's CloudEvent runs the sweeper.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("knative")
class KnativeBindingTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void binaryAndStructuredCloudEventsAndAMinioWebhookCarryARoundToItsGlobalModel() {
        Federation federation = Federation.open(registry, store, "fedavg", 3, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b", "c");
        StoredObject a = federation.putUpdate("a", Federation.weights(1, 1, 1, 1, 1, 1, 1, 1), 10);
        StoredObject b = federation.putUpdate("b", Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 10);
        StoredObject c = federation.putUpdate("c", Federation.weights(6, 6, 6, 6, 6, 6, 6, 6), 10);

        ObjectNode binary = documentedCloudEventNaming(a);
        binaryMode(binary)
                .body(DocumentedEvents.text(binary.get("data")))
                .when().post("/")
                .then().statusCode(200)
                .header("ce-type", "aggregate.output")
                .header("ce-source", "aggregate")
                .body("objects.key", contains(a.key()))
                .body("objects.outcome", contains("ACCEPTED"));

        given().contentType("application/cloudevents+json")
                .body(DocumentedEvents.text(documentedCloudEventNaming(b)))
                .when().post("/")
                .then().statusCode(200)
                .body("type", equalTo("aggregate.output"))
                .body("data.objects.key", contains(b.key()))
                .body("data.objects.outcome", contains("ACCEPTED"));

        var minio = DocumentedEvents.s3Notification("minio-notification.json",
                URLEncoder.encode(c.key(), StandardCharsets.UTF_8), c.etag());
        given().contentType(ContentType.JSON).body(DocumentedEvents.text(minio))
                .when().post("/aggregate")
                .then().statusCode(200)
                .body("objects.outcome", contains("ACCEPTED"))
                .body("objects.globalModelKey", contains(federation.globalKey(2)));

        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(3f, 3f);
    }

    /** A PingSource's CloudEvent (binary mode, as Knative sends it on its schedule) reaches the sweeper. */
    @Test
    void aPingSourceCloudEventRunsTheSweeper() {
        given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", "9a4c1f0e-ping")
                .header("ce-type", "dev.knative.sources.ping")
                .header("ce-source", "/apis/v1/namespaces/meshfl/pingsources/meshfl-sweeper")
                .body("{}")
                .when().post("/")
                .then().statusCode(200)
                .header("ce-type", "sweep.output")
                .body("errors", org.hamcrest.Matchers.empty())
                .body("seen", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Test
    void cloudEventOfAnotherTypeIsNotRoutedToTheFunction() {
        ObjectNode structured = DocumentedEvents.load("knative-aws-sqs-structured.json");
        structured.put("type", "dev.knative.connector.event.aws-s3");

        binaryMode(structured)
                .body(DocumentedEvents.text(structured.get("data")))
                .when().post("/")
                .then().statusCode(404);
    }

    @Test
    void cloudEventWhoseDataIsNoObjectStoreEventIsRefusedWith400() {
        ObjectNode structured = DocumentedEvents.load("knative-aws-sqs-structured.json");
        structured.putObject("data").putArray("Records");

        binaryMode(structured)
                .body(DocumentedEvents.text(structured.get("data")))
                .when().post("/")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("its top-level fields are [Records]"));
    }

    /** The documented CloudEvent whose S3 notification names {@code update} (key URL-encoded as S3 sends it). */
    private static ObjectNode documentedCloudEventNaming(StoredObject update) {
        ObjectNode structured = DocumentedEvents.load("knative-aws-sqs-structured.json");
        ObjectNode object = (ObjectNode) structured.path("data").path("Records").get(0).path("s3").path("object");
        object.put("key", URLEncoder.encode(update.key(), StandardCharsets.UTF_8));
        object.put("eTag", update.etag());
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
