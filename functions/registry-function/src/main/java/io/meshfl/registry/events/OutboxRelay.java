package io.meshfl.registry.events;

import io.meshfl.registry.api.EventRelay;
import io.meshfl.registry.round.DatabaseClock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's pending round events on the {@value RoundEvents#CHANNEL} channel, oldest first, at least once:
 * an event counts as sent only when the connector acknowledges it (the broker or bus accepted it). A pass claims due
 * events with {@code FOR UPDATE SKIP LOCKED} and moves their next attempt past {@link EventsConfig#claim()}, so
 * concurrent relays (replicas, the periodic pass and a request's) never send one event at once, and an event whose
 * relay died is sent again later. A failed send is retried with exponential back-off until max-attempts, then DEAD.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(10);

    private final MutinyEmitter<String> channel;
    private final EventsConfig config;
    private final DatabaseClock clock;

    public OutboxRelay(@Channel(RoundEvents.CHANNEL) MutinyEmitter<String> channel, EventsConfig config,
                       DatabaseClock clock) {
        this.channel = channel;
        this.config = config;
        this.clock = clock;
    }

    /** One pass over the due events; must run on a Vert.x context (Hibernate Reactive's sessions live there). */
    public Uni<EventRelay> relayDue() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("the outbox relay runs on a Vert.x context");
        }
        Executor backOnContext = task -> context.runOnContext(ignored -> task.run());
        return Panache.withTransaction(this::claimDue)
                .chain(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(event -> send(event).emitOn(backOnContext)
                                .chain(error -> Panache.withTransaction(() -> settle(event.id, error))))
                        .collect().asList())
                .map(OutboxRelay::tally);
    }

    /** The periodic pass: what the requests that recorded events could not send (or never got to). */
    @Scheduled(every = "${meshfl.events.relay-every:15s}", delayed = "${meshfl.events.relay-every:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relayPeriodically() {
        return relayDue()
                .invoke(pass -> {
                    if (pass.sent() + pass.failed() > 0) {
                        LOG.infof("Round events relayed: %d sent, %d failed, %d dead", pass.sent(), pass.failed(),
                                pass.dead());
                    }
                })
                .onFailure().invoke(e -> LOG.warn("The periodic round-event relay failed; the next pass retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<List<OutboxEvent>> claimDue() {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                                "SELECT * FROM round_event_outbox WHERE state = 'PENDING'"
                                        + " AND next_attempt_at <= clock_timestamp() ORDER BY id LIMIT :batch"
                                        + " FOR UPDATE SKIP LOCKED", OutboxEvent.class)
                        .setParameter("batch", config.batchSize())
                        .getResultList())
                .call(claimed -> claimed.isEmpty() ? Uni.createFrom().voidItem() : clock.now().chain(now -> {
                    for (OutboxEvent event : claimed) {
                        event.attempts++;
                        event.nextAttemptAt = now.plus(config.claim());
                    }
                    return Panache.flush();
                }));
    }

    /** Sends one event; the failure's description, or null once the connector acknowledged it. */
    private Uni<String> send(OutboxEvent event) {
        return channel.sendMessage(Message.of(event.cloudEvent))
                .ifNoItem().after(config.sendTimeout()).fail()
                .map(acknowledged -> (String) null)
                .onFailure().recoverWithItem(failure -> String.valueOf(failure));
    }

    private Uni<OutboxEvent> settle(Long id, String error) {
        return OutboxEvent.<OutboxEvent>findById(id).chain(event -> clock.now().map(now -> {
            if (error == null) {
                event.state = OutboxEvent.State.SENT;
                event.sentAt = now;
                event.lastError = null;
            } else if (event.attempts >= config.maxAttempts()) {
                event.state = OutboxEvent.State.DEAD;
                event.lastError = error;
                LOG.errorf("Round event %s (%s %s) is DEAD after %d failed sends: %s", event.eventId, event.type,
                        event.subject, event.attempts, error);
            } else {
                event.lastError = error;
                event.nextAttemptAt = now.plus(backOff(event.attempts));
                LOG.warnf("Round event %s (%s %s) not sent (attempt %d): %s", event.eventId, event.type,
                        event.subject, event.attempts, error);
            }
            return event;
        }));
    }

    static Duration backOff(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration wait = FIRST_RETRY.multipliedBy(factor);
        return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
    }

    private static EventRelay tally(List<OutboxEvent> settled) {
        int sent = 0;
        int dead = 0;
        for (OutboxEvent event : settled) {
            if (event.state == OutboxEvent.State.SENT) {
                sent++;
            } else if (event.state == OutboxEvent.State.DEAD) {
                dead++;
            }
        }
        return new EventRelay(sent, settled.size() - sent, dead);
    }
}
