package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.registry.events.RoundEvents;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

/**
 * Policy {@code resubmit: true}: a second file of a domain whose update was REJECTED replaces it while the round is
 * open and before its deadline (each verdict published as its round event); never after, never an ACCEPTED one.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class ResubmitPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    private static long federation(String model, String... domains) {
        Fixtures.model(model, Fixtures.modelJson(model, "churn-prediction", "fedavg", 2)
                .replace("\"fedproxMu\": 0.01}", "\"fedproxMu\": 0.01, \"resubmit\": true}"));
        return Fixtures.openWith(model, domains);
    }

    private static String rejected(String model, String domain, String etag) {
        return Fixtures.updateJson(model, 1, domain, etag, 0)
                .replace("\"ACCEPTED\"}", "\"REJECTED\", \"reason\": \"signature does not verify\"}");
    }

    private static JsonPath register(long round, String body, int status) {
        return as(Tokens.function()).contentType(ContentType.JSON).body(body).post("/rounds/" + round + "/updates")
                .then().statusCode(status).extract().jsonPath();
    }

    @Test
    void aRejectedUpdateIsReplacedOncePerFileAndEachVerdictIsPublished() {
        String model = unique("resubmit");
        String alpha = unique("alpha");
        long round = federation(model, alpha, unique("beta"));
        register(round, rejected(model, alpha, "etag-1"), 201);

        JsonPath replaced = register(round, Fixtures.updateJson(model, 1, alpha, "etag-2", 100), 201);
        JsonPath again = register(round, Fixtures.updateJson(model, 1, alpha, "etag-2", 100), 200);
        JsonPath afterAcceptance = register(round, Fixtures.updateJson(model, 1, alpha, "etag-3", 100), 200);

        assertThat(replaced.getString("status")).isEqualTo("ACCEPTED");
        assertThat(replaced.getString("etag")).isEqualTo("etag-2");
        assertThat(replaced.getBoolean("duplicate")).isFalse();
        assertThat(again.getBoolean("duplicate")).isTrue();
        assertThat(afterAcceptance.getBoolean("duplicate")).isTrue();
        assertThat(afterAcceptance.getString("etag")).as("an accepted update stays").isEqualTo("etag-2");
        assertThat(Fixtures.count("round_update WHERE round_id = ?", round)).isEqualTo(1);
        assertThat(events(model)).containsExactly(RoundEvents.ROUND_OPENED, RoundEvents.UPDATE_REJECTED,
                RoundEvents.UPDATE_ACCEPTED);
    }

    @Test
    void afterTheDeadlineARejectedUpdateStaysRejected() {
        String model = unique("resubmit-late");
        String alpha = unique("alpha");
        long round = federation(model, alpha, unique("beta"));
        register(round, rejected(model, alpha, "etag-1"), 201);
        Fixtures.pastDeadline(round);

        JsonPath reply = register(round, Fixtures.updateJson(model, 1, alpha, "etag-2", 100), 200);

        assertThat(reply.getBoolean("duplicate")).isTrue();
        assertThat(reply.getString("status")).isEqualTo("REJECTED");
        assertThat(reply.getString("etag")).isEqualTo("etag-1");
    }

    private List<String> events(String model) {
        return connector.sink(RoundEvents.CHANNEL).received().stream()
                .map(message -> read((String) message.getPayload()))
                .filter(event -> event.get("subject").asText().startsWith(model + "/"))
                .map(event -> event.get("type").asText())
                .toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
