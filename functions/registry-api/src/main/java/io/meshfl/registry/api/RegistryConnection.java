package io.meshfl.registry.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the registry is and how to reach it: its base URL, timeouts and one HTTP connection pool. Calls are made
 * as a principal: {@link #as(String)} gives a {@link RegistryClient} that sends that principal's bearer token.
 * A training function serves many callers and makes a client per request; the aggregation function has one token.
 *
 * <p>Answers are read leniently (a registry newer than its caller may add fields) unless the connection is
 * {@link #strict()}: then an unknown field is an error, which is how the registry's contract test catches drift.
 */
public final class RegistryConnection {

    private final URI base;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ObjectMapper json;

    private RegistryConnection(URI base, Duration requestTimeout, HttpClient http, boolean strict) {
        String url = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.requestTimeout = requestTimeout;
        this.http = http;
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, strict);
    }

    /** A connection with the given timeouts; {@code base} is the registry's base URL, e.g. {@code http://host:8081}. */
    public static RegistryConnection to(URI base, Duration connectTimeout, Duration requestTimeout) {
        return new RegistryConnection(base, requestTimeout,
                HttpClient.newBuilder().connectTimeout(connectTimeout).build(), false);
    }

    /** A connection with 5 s to connect and 60 s per answer. */
    public static RegistryConnection to(URI base) {
        return to(base, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /** The same registry, read strictly: any field of an answer that the records here do not know is an error. */
    public RegistryConnection strict() {
        return new RegistryConnection(base, requestTimeout, http, true);
    }

    /** Calls made with this principal's bearer token (a JWT the registry's issuer signed). */
    public RegistryClient as(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("A registry call needs a bearer token; none was given");
        }
        return new RegistryClient(this, () -> token);
    }

    /**
     * Calls made with the token {@code tokens} gives at each request: short-lived tokens renewed while the client
     * lives (a token file re-read when it changes, a token minted anew before it expires).
     */
    public RegistryClient as(Supplier<String> tokens) {
        return new RegistryClient(this, () -> {
            String token = tokens.get();
            if (token == null || token.isBlank()) {
                throw new IllegalStateException("The registry token source gave no token");
            }
            return token;
        });
    }

    public URI base() {
        return base;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    HttpClient http() {
        return http;
    }

    ObjectMapper json() {
        return json;
    }
}
