package io.meshfl.mesh.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.event.CloudEvent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local mesh's K_SINK takes binary-mode CloudEvents as the registry's connector writes them, one line each. */
class RoundEventLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBinaryModeEventBecomesOneLineWithItsAttributesAndData(@TempDir Path dir) throws Exception {
        CloudEvent opened = CloudEvent.structured("""
                {"specversion": "1.0", "id": "e-7", "source": "/meshfl/registry", "type": "meshfl.round.opened",
                 "subject": "churn/2", "time": "2026-12-02T18:00:00Z", "datacontenttype": "application/json",
                 "data": {"model": "churn", "number": 2}}""");

        try (RoundEventLog log = RoundEventLog.start(dir.resolve("events.jsonl"))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(log.uri())
                    .POST(HttpRequest.BodyPublishers.ofString(opened.dataJson()));
            opened.binaryHeaders().forEach(request::header);
            HttpResponse<Void> answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());

            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(log.received()).isEqualTo(1);
            List<String> lines = Files.readAllLines(log.file());
            assertThat(lines).hasSize(1);
            JsonNode line = JSON.readTree(lines.get(0));
            assertThat(line.get("type").asText()).isEqualTo("meshfl.round.opened");
            assertThat(line.get("subject").asText()).isEqualTo("churn/2");
            assertThat(line.get("id").asText()).isEqualTo("e-7");
            assertThat(line.get("time").asText()).isEqualTo("2026-12-02T18:00:00Z");
            assertThat(line.get("data")).isEqualTo(opened.data());
        }
    }

    @Test
    void aRequestThatIsNoCloudEventIsRefusedAndNotLogged(@TempDir Path dir) throws Exception {
        try (RoundEventLog log = RoundEventLog.start(dir.resolve("events.jsonl"))) {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(log.uri())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(log.received()).isZero();
            assertThat(log.file()).doesNotExist();
        }
    }
}
