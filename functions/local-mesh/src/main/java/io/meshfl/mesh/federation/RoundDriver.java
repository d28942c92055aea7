package io.meshfl.mesh.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.mesh.registry.RegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one federated round the way a deployment does: every domain takes part at the same time (its scheduler
 * triggers its training); the updates land in the object store, whose events make the aggregation function close the round.
 * The driver only watches the registry until the next round opens (or the round fails).
 */
public final class RoundDriver implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(250);
    /** After every trigger has answered and one failed, how long the round may still close without it. */
    private static final Duration GRACE_AFTER_FAILED_TRIGGER = Duration.ofSeconds(30);

    private final RegistryClient registry;
    private final String governanceToken;
    private final List<Participant> participants;
    private final Duration timeout;
    private final ExecutorService executor;

    public RoundDriver(RegistryClient registry, String governanceToken, List<Participant> participants, Duration timeout) {
        this.registry = registry;
        this.governanceToken = governanceToken;
        this.participants = List.copyOf(participants);
        this.timeout = timeout;
        this.executor = Executors.newFixedThreadPool(Math.max(1, participants.size()));
    }

    /** Runs the model's current round to its end; fails with the registry's reason if the round fails. */
    public RoundOutcome runCurrentRound(String model) {
        JsonNode round = current(model);
        int number = round.path("number").asInt();
        long roundId = round.path("roundId").asLong();
        Instant start = Instant.now();
        List<CompletableFuture<Participant.Outcome>> triggers = new ArrayList<>();
        for (Participant participant : participants) {
            triggers.add(CompletableFuture.supplyAsync(() -> participant.takePart(model), executor));
        }
        List<String> triggerFailures = new ArrayList<>();
        JsonNode next = awaitNextRound(model, number, roundId, triggers, triggerFailures);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        int accepted = 0;
        int rejected = 0;
        List<String> rejections = new ArrayList<>();
        for (JsonNode update : registry.get("/rounds/" + roundId + "/updates", governanceToken)) {
            if ("ACCEPTED".equals(update.path("status").asText())) {
                accepted++;
            } else {
                rejected++;
                rejections.add(update.path("domain").asText() + ": " + update.path("reason").asText());
            }
        }
        return new RoundOutcome(number, accepted, rejected, rejections, next.path("globalModelKey").asText(), seconds);
    }

    private JsonNode awaitNextRound(String model, int number, long roundId,
                                    List<CompletableFuture<Participant.Outcome>> triggers, List<String> failures) {
        Instant deadline = Instant.now().plus(timeout);
        Instant allAnswered = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode current = current(model);
            if (current.path("number").asInt() > number) {
                return current;
            }
            JsonNode round = registry.get("/rounds/" + roundId, governanceToken);
            if ("FAILED".equals(round.path("state").asText())) {
                throw new IllegalStateException("Round " + number + " of " + model + " failed: "
                        + round.path("failureReason").asText());
            }
            collectFailures(triggers, failures);
            if (allAnswered == null && triggers.stream().allMatch(CompletableFuture::isDone)) {
                allAnswered = Instant.now();
            }
            if (allAnswered != null && !failures.isEmpty()
                    && Instant.now().isAfter(allAnswered.plus(GRACE_AFTER_FAILED_TRIGGER))) {
                throw new IllegalStateException("Round " + number + " of " + model + " did not close and these domains'"
                        + " training triggers failed: " + failures);
            }
            sleep();
        }
        collectFailures(triggers, failures);
        throw new IllegalStateException("Round " + number + " of " + model + " did not close within " + timeout
                + (failures.isEmpty() ? "" : "; failed triggers: " + failures)
                + " (see the aggregation and training logs)");
    }

    private static void collectFailures(List<CompletableFuture<Participant.Outcome>> triggers, List<String> failures) {
        failures.clear();
        for (CompletableFuture<Participant.Outcome> trigger : triggers) {
            if (trigger.isDone()) {
                Participant.Outcome outcome = trigger.join();
                if (!outcome.succeeded()) {
                    failures.add(outcome.domain() + " → " + (outcome.status() == 0 ? "" : "HTTP " + outcome.status() + " ")
                            + outcome.body());
                }
            }
        }
    }

    private JsonNode current(String model) {
        return registry.get("/models/" + model + "/rounds/current", governanceToken);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the round to close", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
