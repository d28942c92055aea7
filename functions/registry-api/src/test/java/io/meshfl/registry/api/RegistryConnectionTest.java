package io.meshfl.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted HTTP server: what it sends, and how lenient and strict reading differ. */
class RegistryConnectionTest {

    private static final String ROUND = """
            {"roundId": 7, "model": "churn", "number": 2, "state": "OPEN",
             "globalModelKey": "models/churn/global/2.safetensors", "openedAt": "2026-12-02T08:00:00Z"%s}
            """;

    private HttpServer server;
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RegistryConnection connection() {
        return RegistryConnection.to(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @Test
    void eachClientSendsItsOwnPrincipalsToken() {
        answer.set(ROUND.formatted(""));

        connection().as("token-of-alpha").currentRound("churn");

        assertThat(authorization.get()).isEqualTo("Bearer token-of-alpha");
    }

    @Test
    void aLenientConnectionIgnoresAFieldItDoesNotKnow() {
        answer.set(ROUND.formatted(", \"addedLater\": true"));

        RoundView round = connection().as("t").currentRound("churn").orElseThrow();

        assertThat(round.number()).isEqualTo(2);
        assertThat(round.state()).isEqualTo(RoundState.OPEN);
    }

    @Test
    void aStrictConnectionRefusesAFieldItDoesNotKnowNamingIt() {
        answer.set(ROUND.formatted(", \"addedLater\": true"));
        RegistryClient strict = connection().strict().as("t");

        assertThatThrownBy(() -> strict.currentRound("churn"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("unexpected response shape")
                .hasMessageContaining("addedLater");
    }

    @Test
    void aProblemBecomesARegistryExceptionWithItsFieldErrors() {
        status.set(400);
        answer.set("""
                {"title": "Invalid model", "status": 400, "detail": "2 fields are wrong",
                 "errors": [{"field": "strategy.params.mu", "message": "unknown parameter"}]}
                """);

        assertThatThrownBy(() -> connection().as("t").round(1))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.errors()).containsExactly(
                            new RegistryException.FieldError("strategy.params.mu", "unknown parameter"));
                });
    }

    @Test
    void aMissingRoundIsEmptyNotAnError() {
        status.set(404);
        answer.set("{\"title\": \"Not found\", \"status\": 404}");

        assertThat(connection().as("t").currentRound("unknown")).isEmpty();
    }

    @Test
    void aCallWithoutATokenIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> connection().as(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
