package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * AWS S3 event notification, as S3 sends it to Lambda directly or as the body of an SQS message:
 * {@code {"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{...}}]}}.
 */
final class S3NotificationShape implements EventShape {

    @Override
    public String name() {
        return "S3 event notification";
    }

    @Override
    public boolean recognises(JsonNode event) {
        JsonNode first = event.path("Records").path(0);
        return first.has("s3") && "aws:s3".equals(first.path("eventSource").asText());
    }

    @Override
    public List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested) {
        return nested.convert(event, S3EventNotification.class, name()).objectsCreated();
    }
}
