package io.meshfl.registry.events;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.EmbeddedPostgresServer;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Round events leave the registry through the transactional outbox, over the connector a Knative deployment uses,
 * to a real HTTP receiver where the Broker would be: delivered before the request that caused them answers, kept
 * while the receiver refuses them and sent once it accepts, DEAD after the last attempt, never sent twice by
 * concurrent relays.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
@QuarkusTestResource(value = EventSinkTestResource.class, restrictToAnnotatedClass = true)
class RoundEventOutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void sinkAccepts() {
        EventSinkTestResource.sink.answer(202);
    }

    @Test
    void aStateChangeIsDeliveredAsABinaryCloudEventBeforeTheRequestAnswers() throws Exception {
        String model = unique("outbox");
        String domain = unique("alpha");

        long roundId = Fixtures.federation(model, 1, domain);

        List<EventSink.Received> opened = receivedFor(model + "/1");
        assertThat(opened).hasSize(1);
        EventSink.Received event = opened.get(0);
        assertThat(event.type()).isEqualTo(RoundEvents.ROUND_OPENED);
        assertThat(event.attributes()).containsEntry("specversion", "1.0").containsEntry("source", RoundEvents.SOURCE)
                .containsKeys("id", "time");
        assertThat(event.contentType()).isEqualTo("application/json");
        assertThat(event.authorization()).as("the SinkBinding's OIDC token, for the Broker's EventPolicy")
                .isEqualTo("Bearer first-oidc-token");
        JsonNode round = JSON.readTree(event.body());
        assertThat(round.get("model").asText()).isEqualTo(model);
        assertThat(round.get("number").asInt()).isEqualTo(1);
        assertThat(round.get("roundId").asLong()).isEqualTo(roundId);

        // The kubelet refreshes the mounted token; the next event carries the new one.
        Files.writeString(EventSinkTestResource.oidcToken, "renewed-oidc-token\n");
        Fixtures.acceptedUpdate(roundId, model, 1, domain, 100);

        assertThat(receivedFor(model + "/1")).extracting(EventSink.Received::type, EventSink.Received::authorization)
                .containsExactly(tuple(RoundEvents.ROUND_OPENED, "Bearer first-oidc-token"),
                        tuple(RoundEvents.UPDATE_ACCEPTED, "Bearer renewed-oidc-token"));
        as(Tokens.governance()).get("/events?state=SENT").then().statusCode(200)
                .body("subject", hasItem(model + "/1"));
    }

    @Test
    void whileTheSinkRefusesTheChangeCommitsAndTheEventIsSentOnceWhenItAcceptsAgain() {
        String model = unique("outbox");
        EventSinkTestResource.sink.answer(503);

        Fixtures.federation(model, 1, unique("alpha")); // 201: the round is open whatever the sink says

        assertThat(receivedFor(model + "/1")).isEmpty();
        as(Tokens.governance()).get("/events?state=PENDING").then().statusCode(200)
                .body("find { it.subject == '" + model + "/1' }.attempts", org.hamcrest.Matchers.equalTo(1))
                .body("find { it.subject == '" + model + "/1' }.lastError", org.hamcrest.Matchers.containsString("503"));

        EventSinkTestResource.sink.answer(202);
        everyPendingEventIsDue();
        as(Tokens.function()).post("/events/relay").then().statusCode(200).body("sent", greaterThanOrEqualTo(1));
        as(Tokens.function()).post("/events/relay").then().statusCode(200);

        assertThat(receivedFor(model + "/1")).extracting(EventSink.Received::type)
                .containsExactly(RoundEvents.ROUND_OPENED);
    }

    @Test
    void anEventTheSinkKeepsRefusingIsDeadAfterTheLastAttemptAndListedForTheOperator() {
        String model = unique("outbox");
        EventSinkTestResource.sink.answer(503);
        Fixtures.federation(model, 1, unique("alpha")); // attempt 1

        everyPendingEventIsDue();
        as(Tokens.governance()).post("/events/relay").then().statusCode(200); // attempt 2 of max-attempts 2

        as(Tokens.governance()).get("/events?state=DEAD").then().statusCode(200)
                .body("find { it.subject == '" + model + "/1' }.attempts", org.hamcrest.Matchers.equalTo(2));
        EventSinkTestResource.sink.answer(202);
        everyPendingEventIsDue();
        as(Tokens.governance()).post("/events/relay").then().statusCode(200);
        assertThat(receivedFor(model + "/1")).isEmpty();
        as(Tokens.domain(unique("alpha"))).get("/events?state=DEAD").then().statusCode(403);
        as(Tokens.governance()).get("/events?state=LOST").then().statusCode(400);
    }

    @Test
    void concurrentRelaysSendEachPendingEventOnce() throws Exception {
        EventSinkTestResource.sink.answer(503);
        List<String> models = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String model = unique("outbox");
            Fixtures.federation(model, 1, unique("alpha"));
            models.add(model);
        }
        EventSinkTestResource.sink.answer(202);
        everyPendingEventIsDue();

        ExecutorService relays = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> passes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                passes.add(() -> as(Tokens.function()).post("/events/relay").then().statusCode(200)
                        .extract().path("sent"));
            }
            for (Future<Integer> pass : relays.invokeAll(passes)) {
                pass.get();
            }
        } finally {
            relays.shutdown();
        }

        for (String model : models) {
            assertThat(receivedFor(model + "/1")).as(model).hasSize(1);
        }
    }

    private static List<EventSink.Received> receivedFor(String subject) {
        return EventSinkTestResource.sink.received().stream()
                .filter(event -> subject.equals(event.attributes().get("subject"))).toList();
    }

    /** Moves every pending event's next attempt to now on the database's clock (the relay's clock): no sleeping. */
    private static void everyPendingEventIsDue() {
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            connection.createStatement().executeUpdate(
                    "UPDATE round_event_outbox SET next_attempt_at = clock_timestamp() WHERE state = 'PENDING'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
