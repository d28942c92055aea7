package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.meshfl.registry.api.RegistryConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against scripted registry answers (the JDK's HTTP server speaking the registry's JSON): round 2 (id 7)
 * is open for a few polls, then ends as the script says; the round after it is round 3 (id 8).
 */
class RoundDriverTest {

    private static final String OPEN_ROUND_2 = """
            {"roundId":7,"model":"m","number":2,"kind":"round","state":"OPEN",
             "globalModelKey":"models/m/global/2.safetensors","policy":{"minDomains":2,"roundDeadlineSeconds":20}}""";

    private final AtomicInteger polls = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);
    private HttpServer registry;

    @AfterEach
    void stop() {
        never.countDown();
        if (registry != null) {
            registry.stop(0);
        }
    }

    /** A registry whose round 7 ends as {@code ended} after three polls, followed by {@code next}. */
    private URI registry(String ended, String next) throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean over = polls.get() >= 3;
            String body = switch (path) {
                case "/models/m/rounds/current" -> over ? next : OPEN_ROUND_2;
                case "/rounds/7" -> polls.incrementAndGet() > 3 ? ended : OPEN_ROUND_2;
                case "/rounds/7/updates" -> """
                        [{"id":1,"roundId":7,"domain":"domain-1","objectKey":"models/m/rounds/2/updates/domain-1.safetensors",
                          "etag":"e","sha256":"s","numExamples":10,"baseRound":2,"status":"ACCEPTED","duplicate":false}]""";
                default -> null;
            };
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        registry.start();
        return URI.create("http://127.0.0.1:" + registry.getAddress().getPort());
    }

    /** A domain whose scheduler never answers (hung training, or a machine that is gone). */
    private Participant hanging(String domain) {
        return new Participant() {
            @Override
            public String domain() {
                return domain;
            }

            @Override
            public Outcome takePart(String model, int round) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Outcome.absent(domain, "never answered");
            }
        };
    }

    @Test
    void theRoundEndsWhenTheRegistryClosesItWithoutWaitingForADomainThatNeverAnswers() throws Exception {
        URI uri = registry(OPEN_ROUND_2.replace("\"OPEN\"", "\"CLOSED\""), OPEN_ROUND_2.replace("\"roundId\":7", "\"roundId\":8")
                .replace("\"number\":2", "\"number\":3").replace("global/2", "global/3"));
        ScriptedDomain onTime = new ScriptedDomain("domain-1", Duration.ofSeconds(1), 201);

        RoundOutcome outcome;
        try (RoundDriver driver = new RoundDriver(RegistryConnection.to(uri).as("token"),
                List.of(onTime, hanging("domain-2"), new SwitchedOffDomain(onTime, 2)), Duration.ofSeconds(1))) {
            outcome = driver.runCurrentRound("m");
        }

        assertThat(outcome.round()).isEqualTo(2);
        assertThat(outcome.roundId()).isEqualTo(7);
        assertThat(outcome.state()).isEqualTo("CLOSED");
        assertThat(outcome.failed()).isFalse();
        assertThat(outcome.accepted()).isEqualTo(1);
        assertThat(outcome.nextGlobalModelKey()).isEqualTo("models/m/global/3.safetensors");
        assertThat(onTime.rounds).containsExactly(2);
        assertThat(never.getCount()).as("domain-2 never answered").isEqualTo(1);
    }

    @Test
    void aFailedRoundIsAnOutcomeWithTheRegistrysReasonAndTheRetryStartsFromTheSameModel() throws Exception {
        String failed = OPEN_ROUND_2.replace("\"OPEN\"", "\"FAILED\"")
                .replace("\"kind\"", "\"failureReason\":\"quorum not met: 1 of 2\",\"kind\"");
        String retry = OPEN_ROUND_2.replace("\"roundId\":7", "\"roundId\":8").replace("\"number\":2", "\"number\":3");
        URI uri = registry(failed, retry);

        RoundOutcome outcome;
        try (RoundDriver driver = new RoundDriver(RegistryConnection.to(uri).as("token"), List.of(hanging("domain-2")),
                Duration.ofSeconds(1))) {
            outcome = driver.runCurrentRound("m");
        }

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.failureReason()).isEqualTo("quorum not met: 1 of 2");
        assertThat(outcome.nextGlobalModelKey()).isEqualTo("models/m/global/2.safetensors");
    }

    @Test
    void theDriversPatienceIsTheDeadlinePlusOneSweepPlusTheMargin() throws Exception {
        URI uri = registry(OPEN_ROUND_2, OPEN_ROUND_2);
        try (RoundDriver driver = new RoundDriver(RegistryConnection.to(uri).as("token"), List.of(),
                Duration.ofSeconds(5))) {
            var round = RegistryConnection.to(uri).as("token").currentRound("m").orElseThrow();

            assertThat(driver.bound(round)).isEqualTo(Duration.ofSeconds(20 + 5).plus(RoundDriver.MARGIN));
        }
    }
}
