package io.meshfl.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshfl.core.event.CloudEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The EventBridge delivery through the AWS SDK's real client and wire protocol (AWS JSON 1.1 PutEvents), against a
 * loopback endpoint that records what the SDK sends and answers as EventBridge does: the entry carries what the
 * domain modules' round-opened rule matches (source meshfl.registry, detail-type, detail.model), and an entry
 * EventBridge refuses (HTTP 200 with FailedEntryCount 1) is a failed send, not a delivered one.
 */
class EventBridgeDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUND_OPENED = """
            {"specversion":"1.0","id":"3f1c","source":"/meshfl/registry","type":"meshfl.round.opened",
             "subject":"fraud/7","time":"2026-12-02T15:00:00Z","datacontenttype":"application/json",
             "data":{"roundId":12,"model":"fraud","number":7,"state":"OPEN"}}""";

    private HttpServer endpoint;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>(
            "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}");
    private EventBridgeDelivery delivery;

    @BeforeEach
    void start() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/", exchange -> {
            try (exchange) {
                targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
                requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        endpoint.start();
        EventBridgeClient client = EventBridgeClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build();
        delivery = new EventBridgeDelivery(client, "meshfl-rounds");
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    @Test
    void aRoundEventBecomesOnePutEventsEntryTheRoundOpenedRuleMatches() throws Exception {
        delivery.put(CloudEvent.structured(ROUND_OPENED));

        assertThat(targets).containsExactly("AWSEvents.PutEvents");
        JsonNode entries = requests.get(0).get("Entries");
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.get("EventBusName").asText()).isEqualTo("meshfl-rounds");
        assertThat(entry.get("Source").asText()).isEqualTo("meshfl.registry");
        assertThat(entry.get("DetailType").asText()).isEqualTo("meshfl.round.opened");
        JsonNode detail = JSON.readTree(entry.get("Detail").asText());
        assertThat(detail.get("model").asText()).isEqualTo("fraud");
        assertThat(detail.get("number").asInt()).isEqualTo(7);
        assertThat(entry.get("Time").asLong()).isEqualTo(java.time.Instant.parse("2026-12-02T15:00:00Z").getEpochSecond());
    }

    @Test
    void anEntryEventBridgeRefusesIsAFailedSendNamingItsReason() {
        answer.set("{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"InternalFailure\","
                + "\"ErrorMessage\":\"try again\"}]}");

        assertThatThrownBy(() -> delivery.put(CloudEvent.structured(ROUND_OPENED)))
                .hasMessageContaining("meshfl-rounds").hasMessageContaining("InternalFailure")
                .hasMessageContaining("try again");
    }
}
