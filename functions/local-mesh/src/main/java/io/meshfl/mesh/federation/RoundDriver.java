package io.meshfl.mesh.federation;

import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration.UpdateStatus;
import io.meshfl.registry.api.UpdateView;
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

    private final RegistryClient governance;
    private final List<Participant> participants;
    private final Duration timeout;
    private final ExecutorService executor;

    /** @param governance the registry as the governance sees it (every round and update) */
    public RoundDriver(RegistryClient governance, List<Participant> participants, Duration timeout) {
        this.governance = governance;
        this.participants = List.copyOf(participants);
        this.timeout = timeout;
        this.executor = Executors.newFixedThreadPool(Math.max(1, participants.size()));
    }

    /** Runs the model's current round to its end; fails with the registry's reason if the round fails. */
    public RoundOutcome runCurrentRound(String model) {
        RoundView round = current(model);
        int number = round.number();
        long roundId = round.roundId();
        Instant start = Instant.now();
        List<CompletableFuture<Participant.Outcome>> triggers = new ArrayList<>();
        for (Participant participant : participants) {
            triggers.add(CompletableFuture.supplyAsync(() -> participant.takePart(model), executor));
        }
        List<String> triggerFailures = new ArrayList<>();
        RoundView next = awaitNextRound(model, number, roundId, triggers, triggerFailures);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        int accepted = 0;
        int rejected = 0;
        List<String> rejections = new ArrayList<>();
        for (UpdateView update : governance.updates(roundId)) {
            if (update.status() == UpdateStatus.ACCEPTED) {
                accepted++;
            } else {
                rejected++;
                rejections.add(update.domain() + ": " + update.reason());
            }
        }
        return new RoundOutcome(number, accepted, rejected, rejections, next.globalModelKey(), seconds);
    }

    private RoundView awaitNextRound(String model, int number, long roundId,
                                    List<CompletableFuture<Participant.Outcome>> triggers, List<String> failures) {
        Instant deadline = Instant.now().plus(timeout);
        Instant allAnswered = null;
        while (Instant.now().isBefore(deadline)) {
            RoundView current = current(model);
            if (current.number() > number) {
                return current;
            }
            RoundView round = governance.round(roundId);
            if (round.state() == RoundState.FAILED) {
                throw new IllegalStateException("Round " + number + " of " + model + " failed: "
                        + round.failureReason());
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

    private RoundView current(String model) {
        return governance.currentRound(model).orElseThrow(() -> new IllegalStateException(
                "Model " + model + " has no round: the federation set-up opens the first one"));
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
