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
 * triggers its training); the updates land in the object store, whose events make the aggregation function close the
 * round once every expected domain is in, and the sweeper ends it at its deadline otherwise (closed with a quorum, or
 * failed). The driver only watches the registry until the round is CLOSED or FAILED: it never waits for a domain, so
 * a domain that straggles or never answers is simply absent from the round.
 */
public final class RoundDriver implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(250);
    /** After every trigger has answered and too few succeeded for a quorum, how long the round may still end. */
    private static final Duration GRACE_AFTER_FAILED_TRIGGER = Duration.ofSeconds(30);
    /** Beyond the deadline and one sweep period: the sweep's close and the aggregation itself. */
    static final Duration MARGIN = Duration.ofSeconds(60);
    /** A round whose policy shows no deadline (none is set for it). */
    private static final long DEFAULT_DEADLINE_SECONDS = 600;

    private final RegistryClient governance;
    private final List<Participant> participants;
    private final Duration sweepPeriod;
    private final ExecutorService executor;

    /**
     * @param governance the registry as the governance sees it (every round and update)
     * @param sweepPeriod how often the sweeper runs: a round past its deadline ends within one period
     */
    public RoundDriver(RegistryClient governance, List<Participant> participants, Duration sweepPeriod) {
        this.governance = governance;
        this.participants = List.copyOf(participants);
        this.sweepPeriod = sweepPeriod;
        // A straggler may still be waiting for a round that ended: the next round's triggers never queue behind it.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "domain-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the model's current round to its end, CLOSED or FAILED. */
    public RoundOutcome runCurrentRound(String model) {
        RoundView round = current(model);
        int number = round.number();
        Instant start = Instant.now();
        List<CompletableFuture<Participant.Outcome>> triggers = new ArrayList<>();
        for (Participant participant : participants) {
            triggers.add(CompletableFuture.supplyAsync(() -> participant.takePart(model, number), executor));
        }
        RoundView ended = awaitEnd(model, round, triggers);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        int accepted = 0;
        int rejected = 0;
        List<String> rejections = new ArrayList<>();
        for (UpdateView update : governance.updates(round.roundId())) {
            if (update.status() == UpdateStatus.ACCEPTED) {
                accepted++;
            } else {
                rejected++;
                rejections.add(update.domain() + ": " + update.reason());
            }
        }
        return new RoundOutcome(number, round.roundId(), ended.state().name(), ended.failureReason(), accepted, rejected,
                rejections, nextGlobalModelKey(model, ended), seconds);
    }

    /**
     * The model the next round starts from: the open round's (after a close, or the retry of a failed round); a
     * failed round that opened none leaves its own.
     */
    private String nextGlobalModelKey(String model, RoundView ended) {
        return governance.currentRound(model).filter(next -> next.roundId() != ended.roundId() && next.isOpen())
                .map(RoundView::globalModelKey).orElse(ended.globalModelKey());
    }

    /** How long a round may take before the driver gives up: its deadline, one sweep, and the margin. */
    Duration bound(RoundView round) {
        long deadline = round.policy() != null && round.policy().roundDeadlineSeconds() != null
                ? round.policy().roundDeadlineSeconds() : DEFAULT_DEADLINE_SECONDS;
        return Duration.ofSeconds(deadline).plus(sweepPeriod).plus(MARGIN);
    }

    private RoundView awaitEnd(String model, RoundView round, List<CompletableFuture<Participant.Outcome>> triggers) {
        Duration bound = bound(round);
        Instant giveUp = Instant.now().plus(bound);
        int quorum = round.policy() != null && round.policy().minDomains() != null
                ? round.policy().minDomains() : participants.size();
        Instant allAnswered = null;
        while (Instant.now().isBefore(giveUp)) {
            RoundView now = governance.round(round.roundId());
            if (now.state() == RoundState.CLOSED || now.state() == RoundState.FAILED) {
                return now;
            }
            if (allAnswered == null && triggers.stream().allMatch(CompletableFuture::isDone)) {
                allAnswered = Instant.now();
            }
            // Training that broke (not a domain switched off on purpose) leaves the round short of its quorum: say so
            // now rather than after the deadline.
            List<String> failures = failures(triggers);
            if (allAnswered != null && !failures.isEmpty() && successes(triggers) < quorum
                    && Instant.now().isAfter(allAnswered.plus(GRACE_AFTER_FAILED_TRIGGER))) {
                throw new IllegalStateException("Round " + round.number() + " of " + model + " cannot reach its quorum"
                        + " of " + quorum + ": these domains' training triggers failed: " + failures);
            }
            sleep();
        }
        List<String> failures = failures(triggers);
        throw new IllegalStateException("Round " + round.number() + " of " + model + " did not end within " + bound
                + " (its deadline, one sweep period and " + MARGIN.toSeconds() + " s)"
                + (failures.isEmpty() ? "" : "; failed triggers: " + failures)
                + " (see the aggregation and training logs; does the aggregation function answer POST /sweep?)");
    }

    private static List<String> failures(List<CompletableFuture<Participant.Outcome>> triggers) {
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<Participant.Outcome> trigger : triggers) {
            if (trigger.isDone()) {
                Participant.Outcome outcome = trigger.join();
                if (outcome.failed()) {
                    failures.add(outcome.domain() + " → " + (outcome.status() == 0 ? "" : "HTTP " + outcome.status() + " ")
                            + outcome.body());
                }
            }
        }
        return failures;
    }

    private static long successes(List<CompletableFuture<Participant.Outcome>> triggers) {
        return triggers.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                .filter(Participant.Outcome::succeeded).count();
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
            throw new IllegalStateException("Interrupted while waiting for the round to end", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
