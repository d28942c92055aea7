package io.meshfl.mesh.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The registry's HTTP API (docs/registry-api.md) as the local mesh's governance and domains call it: JSON over
 * HTTP with a bearer token per call. The mesh has no other way into the federation's state.
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryClient(URI base) {
        this.base = base;
    }

    /** {@code GET path}, or empty on 404. */
    public Optional<JsonNode> find(String path, String token) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path)).GET(), token, "GET " + path);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(body("GET " + path, response));
    }

    public JsonNode get(String path, String token) {
        return find(path, token).orElseThrow(() -> new RegistryException("GET " + path, 404, "not found"));
    }

    /** {@code POST path} with a JSON body; any 2xx is success. */
    public JsonNode post(String path, Object body, String token) {
        return post(path, json(body), "application/json", token);
    }

    /** {@code POST path} with a body of the given media type (a data product descriptor is YAML). */
    public JsonNode post(String path, String body, String mediaType, String token) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", mediaType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), token, "POST " + path);
        return body("POST " + path, response);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token, String call) {
        try {
            return http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("The registry at " + base + " did not answer " + call, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + call, e);
        }
    }

    private static JsonNode body(String call, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new RegistryException(call, response.statusCode(), response.body());
        }
        try {
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new RegistryException(call, response.statusCode(), "unreadable JSON: " + response.body());
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + body + " as JSON", e);
        }
    }
}
