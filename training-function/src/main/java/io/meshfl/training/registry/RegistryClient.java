package io.meshfl.training.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two registry calls a domain's training makes, with the domain's own bearer token: read the current round,
 * and report how the round's global model did on the domain's hold-out rows.
 */
@ApplicationScoped
public class RegistryClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param url the registry's base URL ({@code meshfl.registry.url}, shared with the other functions, which is
     *     why this is a plain property and not a mapping of the whole {@code meshfl.registry} prefix)
     */
    RegistryClient(@ConfigProperty(name = "meshfl.registry.url") URI url) {
        String base = url.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    /** @throws RegistryRefusal with the registry's status: unknown model (404), domain not enrolled (403), ... */
    public CurrentRound currentRound(String model, String token) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                uri("/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/rounds/current"))
                .GET(), token);
        try {
            return json.readValue(response.body(), CurrentRound.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The registry's current round of model '" + model + "' is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reports the round's global model's metrics on the domain's hold-out rows (the registry keeps the first). */
    public void reportMetrics(long roundId, String domain, long numExamples, Map<String, Double> metrics,
            String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("numExamples", numExamples);
        body.put("metrics", metrics);
        try {
            send(HttpRequest.newBuilder(uri("/rounds/" + roundId + "/metrics"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), token);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics are plain numbers and always serialise", e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) {
        HttpRequest built = request.header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(TIMEOUT)
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("The registry at " + baseUrl + " did not answer " + built.method() + " "
                    + built.uri().getPath() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the registry", e);
        }
        if (response.statusCode() >= 400) {
            throw new RegistryRefusal(response.statusCode(), "The registry refused " + built.method() + " "
                    + built.uri().getPath() + " (" + response.statusCode() + "): " + detail(response.body()));
        }
        return response;
    }

    /** The problem's detail (or title), else the raw body: what the caller needs to fix the request. */
    private String detail(String body) {
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            if (problem != null && problem.hasNonNull("title")) {
                return problem.get("title").asText();
            }
        } catch (JsonProcessingException e) {
            // Not a problem document: show the body as it came.
        }
        return body == null || body.isBlank() ? "no detail" : body;
    }
}
