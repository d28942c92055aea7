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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs an asynchronous (FedBuff) model the way a deployment does: every domain's scheduler fires on its own, as soon
 * as a version newer than the one it last trained from is open (a straggler later, as its wrapper delays it); the
 * updates' events fill the registry's buffers, each closed and folded into the next version by the aggregation
 * function. The driver only watches the registry and reports each buffer as it closes, with its wall time from the
 * previous close on the registry's clock: nobody waits for anybody.
 */
public final class BufferDriver implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a buffer may take to close before the run is given up (a domain that never trains stalls it). */
    static final Duration BUFFER_BOUND = Duration.ofMinutes(10);

    private final RegistryClient governance;
    private final List<Participant> participants;
    private final ExecutorService executor;
    private volatile boolean stopped;

    public BufferDriver(RegistryClient governance, List<Participant> participants) {
        this.governance = governance;
        this.participants = List.copyOf(participants);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "domain-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs until buffer {@code buffers} of the model has closed, handing each closed buffer to {@code closed}. */
    public void run(String model, int buffers, Consumer<RoundOutcome> closed) {
        RoundView first = governance.currentRound(model).orElseThrow(() -> new IllegalStateException(
                "Model " + model + " has no round: the federation set-up opens the first one"));
        for (Participant participant : participants) {
            executor.execute(() -> schedule(participant, model, buffers));
        }
        Instant previous = Instant.now();
        try {
            for (int number = first.number(); number <= buffers; number++) {
                RoundView ended = awaitEnd(model, number);
                if (ended.state() == RoundState.FAILED) {
                    throw new IllegalStateException("Buffer " + number + " of " + model + " failed: "
                            + ended.failureReason());
                }
                double seconds = Math.max(0, Duration.between(previous, ended.closedAt()).toMillis() / 1000.0);
                previous = ended.closedAt();
                closed.accept(outcome(model, ended, seconds));
            }
        } finally {
            stopped = true;
        }
    }

    /** A domain's scheduler: train from every new version while the run lasts. */
    private void schedule(Participant participant, String model, int buffers) {
        int trainedFrom = 0;
        while (!stopped) {
            Optional<RoundView> current = governance.currentRound(model);
            if (current.isEmpty() || current.get().number() > buffers) {
                return;
            }
            int number = current.get().number();
            if (current.get().isOpen() && number != trainedFrom) {
                Participant.Outcome outcome = participant.takePart(model, number);
                if (outcome.succeeded()) {
                    trainedFrom = number;
                    continue;
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return; // the run is over
            }
        }
    }

    private RoundView awaitEnd(String model, int number) {
        Instant giveUp = Instant.now().plus(BUFFER_BOUND);
        while (Instant.now().isBefore(giveUp)) {
            Optional<RoundView> round = governance.round(model, number);
            if (round.isPresent() && (round.get().state() == RoundState.CLOSED
                    || round.get().state() == RoundState.FAILED)) {
                // The round's own view carries its close time on the registry's clock.
                return governance.round(round.get().roundId());
            }
            sleep();
        }
        throw new IllegalStateException("Buffer " + number + " of " + model + " did not close within " + BUFFER_BOUND
                + " (see the aggregation and training logs: are enough domains training for its bufferSize?)");
    }

    private RoundOutcome outcome(String model, RoundView ended, double seconds) {
        int accepted = 0;
        int rejected = 0;
        List<String> rejections = new ArrayList<>();
        for (UpdateView update : governance.updates(ended.roundId())) {
            if (update.status() == UpdateStatus.ACCEPTED) {
                accepted++;
            } else {
                rejected++;
                rejections.add(update.domain() + ": " + update.reason());
            }
        }
        String next = governance.round(model, ended.number() + 1).map(RoundView::globalModelKey)
                .orElseThrow(() -> new IllegalStateException("Buffer " + ended.number() + " of " + model
                        + " closed and no next buffer opened"));
        return new RoundOutcome(ended.number(), ended.roundId(), ended.state().name(), ended.failureReason(), accepted,
                rejected, rejections, next, seconds);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the domains trained", e);
        }
    }

    @Override
    public void close() {
        stopped = true;
        executor.shutdownNow();
    }
}
