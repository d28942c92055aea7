package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The message S3 sends once when a notification destination is configured ({@code "Event":"s3:TestEvent"}). It
 * names no object; recognising it keeps it from being reported as an unreadable event (and from failing an SQS
 * batch).
 */
final class S3TestEventShape implements EventShape {

    @Override
    public String name() {
        return "S3 test event";
    }

    @Override
    public boolean recognises(JsonNode event) {
        return "s3:TestEvent".equals(event.path("Event").asText());
    }

    @Override
    public List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested) {
        return List.of();
    }
}
