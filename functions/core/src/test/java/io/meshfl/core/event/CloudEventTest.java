package io.meshfl.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented Knative aws-sqs CloudEvent, in both HTTP content modes. */
class CloudEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectEventReader reader = new ObjectEventReader();

    @Test
    void structuredModeKeepsAttributesAndData() {
        JsonNode structured = DocumentedPayloads.load("knative-aws-sqs-structured.json");

        CloudEvent event = CloudEvent.structured(structured);

        assertThat(event.type()).isEqualTo("dev.knative.connector.event.aws-sqs");
        assertThat(event.source()).isEqualTo("dev.knative.eventing.aws-sqs-source");
        assertThat(event.id()).isEqualTo("9CC70D09569020C-0000000000000001");
        assertThat(event.subject()).isEqualTo("aws-sqs-source");
        assertThat(event.data()).isEqualTo(DocumentedPayloads.load("aws-s3-notification.json"));
    }

    @Test
    void binaryModeFromHeadersAndBodyReadsTheSameObjects() throws Exception {
        JsonNode structured = DocumentedPayloads.load("knative-aws-sqs-structured.json");
        byte[] body = JSON.writeValueAsBytes(structured.get("data"));

        CloudEvent event = CloudEvent.binary(binaryHeaders(structured), body);

        assertThat(event).isEqualTo(CloudEvent.structured(structured));
        assertThat(reader.read(event)).extracting(ObjectCreated::key)
                .containsExactly("b21b84d653bb07b05b1e6b33684dc11b");
    }

    @Test
    void whatIsWrittenInBinaryModeReadsBackAsTheSameEvent() {
        CloudEvent roundOpened = CloudEvent.structured("""
                {"specversion": "1.0", "id": "e-1", "source": "/meshfl/registry", "type": "meshfl.round.opened",
                 "subject": "models/churn/rounds/2", "time": "2026-12-02T18:00:00.123456Z",
                 "datacontenttype": "application/json", "data": {"model": "churn", "round": 2}}""");

        Map<String, String> headers = roundOpened.binaryHeaders();
        CloudEvent read = CloudEvent.binary(headers, roundOpened.dataJson().getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(roundOpened);
        assertThat(read.time()).isEqualTo("2026-12-02T18:00:00.123456Z");
        assertThat(headers).containsEntry("ce-specversion", "1.0").containsEntry("Content-Type", "application/json")
                .containsEntry("ce-subject", "models/churn/rounds/2");
    }

    @Test
    void structuredModeDataMayBeBase64OrAJsonString() throws Exception {
        ObjectNode structured = (ObjectNode) DocumentedPayloads.load("knative-aws-sqs-structured.json");
        JsonNode data = structured.remove("data");
        String text = JSON.writeValueAsString(data);

        ObjectNode asBase64 = structured.deepCopy().put("data_base64",
                Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        ObjectNode asString = structured.deepCopy().put("data", text);

        assertThat(CloudEvent.structured(asBase64).data()).isEqualTo(data);
        assertThat(CloudEvent.structured(asString).data()).isEqualTo(data);
    }

    @Test
    void wrongSpecVersionIsRefusedNamingIt() {
        ObjectNode structured = (ObjectNode) DocumentedPayloads.load("knative-aws-sqs-structured.json");
        structured.put("specversion", "0.3");

        assertThatThrownBy(() -> CloudEvent.structured(structured))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("'0.3'");
    }

    @Test
    void binaryModeWithoutTypeIsRefusedNamingTheAttribute() {
        JsonNode structured = DocumentedPayloads.load("knative-aws-sqs-structured.json");
        Map<String, String> headers = binaryHeaders(structured);
        headers.remove("ce-type");

        assertThatThrownBy(() -> CloudEvent.binary(headers, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("'type'");
    }

    @Test
    void binaryModeWithNonJsonContentIsRefusedNamingTheContentType() {
        Map<String, String> headers = binaryHeaders(DocumentedPayloads.load("knative-aws-sqs-structured.json"));
        headers.put("Content-Type", "text/plain");

        assertThatThrownBy(() -> CloudEvent.binary(headers, "hi".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("'text/plain'");
    }

    /** The HTTP binding's binary mode: every attribute but data becomes a {@code ce-} header. */
    private static Map<String, String> binaryHeaders(JsonNode structured) {
        Map<String, String> headers = new LinkedHashMap<>();
        structured.fields().forEachRemaining(attribute -> {
            if (attribute.getKey().equals("datacontenttype")) {
                headers.put("Content-Type", attribute.getValue().asText());
            } else if (!attribute.getKey().equals("data")) {
                headers.put("ce-" + attribute.getKey(), attribute.getValue().asText());
            }
        });
        return headers;
    }
}
