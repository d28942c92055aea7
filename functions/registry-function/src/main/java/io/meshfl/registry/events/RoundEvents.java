package io.meshfl.registry.events;

import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.round.DatabaseClock;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Records round events as CloudEvents (structured JSON) in the transactional outbox: {@link #record} must run inside
 * the transaction of the state change it announces, so the event exists if and only if the change committed. The
 * {@link OutboxRelay} sends it after commit on the {@value #CHANNEL} channel, whose connector is configuration: a
 * Knative Broker (K_SINK), an EventBridge bus, in-memory in tests.
 */
@ApplicationScoped
public class RoundEvents {

    public static final String CHANNEL = "round-events";
    public static final String SOURCE = "/meshfl/registry";
    public static final String ROUND_OPENED = "meshfl.round.opened";
    public static final String UPDATE_ACCEPTED = "meshfl.update.accepted";
    public static final String UPDATE_REJECTED = "meshfl.update.rejected";
    public static final String ROUND_CLOSED = "meshfl.round.closed";
    public static final String ROUND_FAILED = "meshfl.round.failed";
    /** Vertical rounds: opened (each party's function begins its bottom steps), completed, failed. */
    public static final String VERTICAL_ROUND_OPENED = "meshfl.vround.opened";
    public static final String VERTICAL_ROUND_COMPLETED = "meshfl.vround.completed";
    public static final String VERTICAL_ROUND_FAILED = "meshfl.vround.failed";

    /** Context-local flag: this request recorded events, so it relays them before it answers. */
    static final String RECORDED = "meshfl.round-events.recorded";

    private final JsonColumns json;
    private final DatabaseClock clock;

    public RoundEvents(JsonColumns json, DatabaseClock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Stores the event in the caller's transaction; nothing is sent before that transaction commits. */
    public Uni<Void> record(String type, String model, int round, Object data) {
        return clock.now().chain(now -> {
            OutboxEvent event = new OutboxEvent();
            event.eventId = UUID.randomUUID().toString();
            event.type = type;
            event.subject = model + "/" + round;
            Map<String, Object> cloudEvent = new LinkedHashMap<>();
            cloudEvent.put("specversion", "1.0");
            cloudEvent.put("id", event.eventId);
            cloudEvent.put("source", SOURCE);
            cloudEvent.put("type", type);
            cloudEvent.put("subject", event.subject);
            cloudEvent.put("time", now.toString());
            cloudEvent.put("datacontenttype", "application/json");
            cloudEvent.put("data", data);
            event.cloudEvent = json.write(cloudEvent);
            event.recordedAt = now;
            event.nextAttemptAt = now;
            Context context = Vertx.currentContext();
            if (context != null) {
                context.putLocal(RECORDED, Boolean.TRUE);
            }
            return event.persist().replaceWithVoid();
        });
    }
}
