package io.meshfl.registry.events;

import io.meshfl.registry.json.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes round events as CloudEvents-shaped JSON (structured mode) on the {@value #CHANNEL} channel. The
 * connector is configuration: in-memory locally and in tests, a broker in a deployment.
 *
 * <p>Events are sent after the transaction that caused them committed; a subscriber may therefore miss an event
 * if the registry dies between commit and send, so the registry's API, not the events, is the source of truth.
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

    private static final Logger LOG = Logger.getLogger(RoundEvents.class);

    private final Emitter<String> emitter;
    private final JsonColumns json;

    public RoundEvents(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                       Emitter<String> emitter, JsonColumns json) {
        this.emitter = emitter;
        this.json = json;
    }

    public void publish(String type, String model, int round, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", SOURCE);
        event.put("type", type);
        event.put("subject", model + "/" + round);
        event.put("time", OffsetDateTime.now(ZoneOffset.UTC).toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        try {
            emitter.send(json.write(event)).exceptionally(failure -> {
                LOG.warnf(failure, "Round event %s for %s/%d was not delivered", type, model, round);
                return null;
            });
        } catch (RuntimeException e) {
            // Never fail a committed state change because the event channel is full or down.
            LOG.warnf(e, "Round event %s for %s/%d could not be sent", type, model, round);
        }
    }
}
