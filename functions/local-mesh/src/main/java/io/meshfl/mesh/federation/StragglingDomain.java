package io.meshfl.mesh.federation;

import io.meshfl.registry.api.RegistryClient;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code --straggler DOMAIN:FACTOR}: a domain whose training takes {@code factor} times as long. The training
 * function trains and uploads in one call, so the delay comes before it: the domain's scheduler fires
 * (factor − 1) × T late, T being how long its previous action took (its first round is on time: T is measured
 * there). If the round ended while it waited (closed at the deadline without it), the domain has missed that round
 * and does not train for the next one in its place: it is absent, as a slow domain is from a round that did not
 * wait for it.
 */
public final class StragglingDomain implements Participant {

    /** Whether round {@code round} of the model is still taking updates. */
    @FunctionalInterface
    public interface OpenRound {
        boolean isOpen(String model, int round);

        /** As the registry says (the governance's view). */
        static OpenRound of(RegistryClient governance) {
            return (model, round) -> governance.currentRound(model)
                    .filter(current -> current.number() == round && current.isOpen()).isPresent();
        }
    }

    /** How the domain waits (a sleep; tests record it instead). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Participant domain;
    private final double factor;
    private final OpenRound openRound;
    private final Pause pause;
    private final LongSupplier nanoTime;
    private volatile Duration lastAction;

    public StragglingDomain(Participant domain, double factor, OpenRound openRound) {
        this(domain, factor, openRound, duration -> Thread.sleep(duration.toMillis()), System::nanoTime);
    }

    StragglingDomain(Participant domain, double factor, OpenRound openRound, Pause pause, LongSupplier nanoTime) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("A straggler's factor must be at least 1, was " + factor);
        }
        this.domain = domain;
        this.factor = factor;
        this.openRound = openRound;
        this.pause = pause;
        this.nanoTime = nanoTime;
    }

    @Override
    public String domain() {
        return domain.domain();
    }

    @Override
    public Outcome takePart(String model, int round) {
        Duration delay = nextDelay();
        if (!delay.isZero()) {
            try {
                pause.pause(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.absent(domain(), "interrupted while straggling");
            }
            if (!openRound.isOpen(model, round)) {
                return Outcome.absent(domain(), String.format(Locale.ROOT,
                        "straggling (%.1f s late, %s × slower) it missed round %d, which ended meanwhile",
                        delay.toMillis() / 1000.0, factor, round));
            }
        }
        long start = nanoTime.getAsLong();
        Outcome outcome = domain.takePart(model, round);
        if (outcome.succeeded()) {
            lastAction = Duration.ofNanos(nanoTime.getAsLong() - start);
        }
        return outcome;
    }

    /** The delay the next round starts with: (factor − 1) × the last measured action; zero before any. */
    Duration nextDelay() {
        Duration measured = lastAction;
        return measured == null ? Duration.ZERO : Duration.ofNanos(Math.round(measured.toNanos() * (factor - 1)));
    }
}
