package io.meshfl.registry.round;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.event.Observes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry's Prometheus metrics: {@code meshfl_rounds_open}, {@code meshfl_updates_total{status}} and
 * {@code meshfl_round_close_latency_seconds} (time a round spent AGGREGATING, from the winning close to its
 * completion).
 */
@ApplicationScoped
public class RoundMetrics {

    private final AtomicLong openRounds = new AtomicLong();
    private final Counter accepted;
    private final Counter rejected;
    private final Timer closeLatency;

    public RoundMetrics(MeterRegistry registry) {
        registry.gauge("meshfl.rounds.open", openRounds);
        accepted = Counter.builder("meshfl.updates").tag("status", "accepted")
                .description("Updates registered as accepted").register(registry);
        rejected = Counter.builder("meshfl.updates").tag("status", "rejected")
                .description("Updates registered as rejected").register(registry);
        closeLatency = Timer.builder("meshfl.round.close.latency")
                .description("Time from a round's winning close to its completion").register(registry);
    }

    /** A restarted registry reports the open rounds it finds, not zero until the next change. */
    void onStart(@Observes StartupEvent start) {
        try {
            VertxContextSupport.subscribeAndAwait(this::refreshOpenRounds);
        } catch (Throwable e) {
            // refreshOpenRounds already recovers from database failures; the gauge then starts at zero.
        }
    }

    public void updateRegistered(boolean wasAccepted) {
        (wasAccepted ? accepted : rejected).increment();
    }

    public void roundClosed(OffsetDateTime aggregatingSince, OffsetDateTime closedAt) {
        if (aggregatingSince != null) {
            closeLatency.record(Duration.between(aggregatingSince, closedAt));
        }
    }

    /** Re-counts the open rounds after a state change (in the database, so every replica reports the truth). */
    public Uni<Void> refreshOpenRounds() {
        return Panache.withSession(() -> Round.count("state", Round.State.OPEN))
                .invoke(openRounds::set)
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
