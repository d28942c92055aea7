package io.meshfl.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Each documented payload reads to the object its documentation describes. */
class ObjectEventReaderTest {

    private final ObjectEventReader reader = new ObjectEventReader();

    @Test
    void s3NotificationSentToLambdaNamesItsObject() {
        assertThat(reader.read(DocumentedPayloads.load("aws-s3-notification.json"))).containsExactly(
                new ObjectCreated("amzn-s3-demo-bucket", "b21b84d653bb07b05b1e6b33684dc11b",
                        "b21b84d653bb07b05b1e6b33684dc11b", 1305107));
    }

    @Test
    void s3NotificationKeysAreFormDecodedWithPlusAsSpace() {
        JsonNode event = withS3Key(DocumentedPayloads.load("aws-s3-notification.json"),
                "models%2Fcredit+risk%2Fa%2Bb%C3%A9.safetensors");

        assertThat(reader.read(event)).extracting(ObjectCreated::key)
                .containsExactly("models/credit risk/a+bé.safetensors");
    }

    @Test
    void s3NotificationWithBrokenPercentEncodingIsRefusedNamingTheKey() {
        JsonNode event = withS3Key(DocumentedPayloads.load("aws-s3-notification.json"), "models%2");

        assertThatThrownBy(() -> reader.read(event))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("'models%2'");
    }

    @Test
    void s3RemovalEventsNameNoCreatedObject() {
        ObjectNode event = (ObjectNode) DocumentedPayloads.load("aws-s3-notification.json");
        ((ObjectNode) event.withArray("Records").get(0)).put("eventName", "ObjectRemoved:Delete");

        assertThat(reader.read(event)).isEmpty();
    }

    @Test
    void s3TestEventIsRecognisedAndNamesNoObject() {
        assertThat(reader.read(DocumentedPayloads.load("aws-s3-test-event.json"))).isEmpty();
    }

    @Test
    void sqsBatchReadsTheS3NotificationInEachBody() {
        // The documented batch: one S3 notification, one s3:TestEvent.
        assertThat(reader.read(DocumentedPayloads.load("aws-sqs-s3-notification.json"))).containsExactly(
                new ObjectCreated("amzn-s3-demo-bucket", "b21b84d653bb07b05b1e6b33684dc11b",
                        "b21b84d653bb07b05b1e6b33684dc11b", 1305107));
    }

    @Test
    void sqsMessageWhoseBodyIsNotJsonIsRefusedNamingTheProblem() {
        ObjectNode event = (ObjectNode) DocumentedPayloads.load("aws-sqs-s3-notification.json");
        ((ObjectNode) event.withArray("Records").get(0)).put("body", "Test message.");

        assertThatThrownBy(() -> reader.read(event))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void eventBridgeObjectCreatedNamesItsObject() {
        assertThat(reader.read(DocumentedPayloads.load("aws-eventbridge-object-created.json"))).containsExactly(
                new ObjectCreated("amzn-s3-demo-bucket1", "example-key", "b1946ac92492d2347c6235b4d2611184", 5));
    }

    @Test
    void eventBridgeObjectDeletedNamesNoCreatedObject() {
        ObjectNode event = (ObjectNode) DocumentedPayloads.load("aws-eventbridge-object-created.json");
        event.put("detail-type", "Object Deleted");

        assertThat(reader.read(event)).isEmpty();
    }

    @Test
    void minioWebhookNotificationNamesItsObjectMatchingOnObjectCreated() {
        assertThat(reader.read(DocumentedPayloads.load("minio-notification.json"))).containsExactly(
                new ObjectCreated("images", "myphoto.jpg", "430f89010c77aa34fc8760696da62d08-1", 6474));
    }

    @Test
    void minioCompleteMultipartUploadIsAlsoACreation() {
        ObjectNode event = (ObjectNode) DocumentedPayloads.load("minio-notification.json");
        ((ObjectNode) event.withArray("Records").get(0)).put("eventName", "s3:ObjectCreated:CompleteMultipartUpload");

        assertThat(reader.read(event)).extracting(ObjectCreated::key).containsExactly("myphoto.jpg");
    }

    @Test
    void knativeAwsSqsCloudEventInStructuredModeReadsItsS3Notification() {
        assertThat(reader.read(DocumentedPayloads.load("knative-aws-sqs-structured.json"))).containsExactly(
                new ObjectCreated("amzn-s3-demo-bucket", "b21b84d653bb07b05b1e6b33684dc11b",
                        "b21b84d653bb07b05b1e6b33684dc11b", 1305107));
    }

    @Test
    void cloudEventOfAnUnmappedTypeIsRefusedNamingTheType() {
        ObjectNode event = (ObjectNode) DocumentedPayloads.load("knative-aws-sqs-structured.json");
        event.put("type", "dev.knative.connector.event.aws-s3");

        assertThatThrownBy(() -> reader.read(event))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("'dev.knative.connector.event.aws-s3'")
                .hasMessageContaining(ObjectEventReader.KNATIVE_AWS_SQS_TYPE);
    }

    @Test
    void unknownJsonIsRefusedListingTheShapesReadAndTheFieldsSeen() {
        ObjectNode event = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("hello", "world");

        assertThatThrownBy(() -> reader.read(event))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("S3 event notification")
                .hasMessageContaining("[hello]");
    }

    @Test
    void textThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> reader.read("<xml/>"))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("not JSON");
    }

    private static JsonNode withS3Key(JsonNode event, String key) {
        ((ObjectNode) event.path("Records").get(0).path("s3").path("object")).put("key", key);
        return event;
    }
}
