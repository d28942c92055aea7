package io.meshfl.registry.events;

import java.time.OffsetDateTime;

/** A round event in the outbox, as an operator reads it (GET /events). */
public record OutboxEventView(String eventId, String type, String subject, OutboxEvent.State state, int attempts,
                              OffsetDateTime recordedAt, OffsetDateTime nextAttemptAt, OffsetDateTime sentAt,
                              String lastError) {

    static OutboxEventView of(OutboxEvent event) {
        return new OutboxEventView(event.eventId, event.type, event.subject, event.state, event.attempts,
                event.recordedAt, event.nextAttemptAt, event.sentAt, event.lastError);
    }
}
