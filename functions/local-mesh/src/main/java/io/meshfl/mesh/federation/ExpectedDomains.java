package io.meshfl.mesh.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The domains the registry recorded as expected in a round ({@code expectedDomains} of {@code GET /rounds/{id}}),
 * where the registry records them. Read from the answer's JSON rather than through {@code RoundView}, which gains
 * the field with issue 15: until then the registry does not send it and every enrolled domain is expected. Once
 * {@code RoundView.expectedDomains()} exists, read it there and delete this class.
 */
public final class ExpectedDomains {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI registry;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token a token that may read every round (the governance's) */
    public ExpectedDomains(URI registry, String token) {
        this.registry = registry;
        this.token = token;
    }

    /** The round's expected domains; empty when the registry does not say. */
    public Optional<List<String>> of(long roundId) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(registry.resolve("/rounds/" + roundId))
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /rounds/" + roundId + " answered HTTP " + response.statusCode()
                        + ": " + response.body());
            }
            return read(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read round " + roundId + " from the registry at " + registry, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading round " + roundId, e);
        }
    }

    /** {@code expectedDomains} of a round's JSON, if it is an array. */
    static Optional<List<String>> read(JsonNode round) {
        JsonNode expected = round.path("expectedDomains");
        if (!expected.isArray()) {
            return Optional.empty();
        }
        List<String> domains = new ArrayList<>();
        expected.forEach(domain -> domains.add(domain.asText()));
        return Optional.of(List.copyOf(domains));
    }
}
