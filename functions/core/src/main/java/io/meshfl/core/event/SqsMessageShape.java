package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An SQS batch as Lambda's event source mapping delivers it ({@code Records[].eventSource} "aws:sqs"), each body a
 * JSON document of another shape (S3 → SQS puts the S3 notification there). On Lambda, Funqy unwraps SQS batches
 * itself and reports failed messages; this shape serves callers that receive the raw batch.
 */
final class SqsMessageShape implements EventShape {

    @Override
    public String name() {
        return "SQS message batch";
    }

    @Override
    public boolean recognises(JsonNode event) {
        return "aws:sqs".equals(event.path("Records").path(0).path("eventSource").asText());
    }

    @Override
    public List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested) {
        List<ObjectCreated> created = new ArrayList<>();
        for (JsonNode message : event.path("Records")) {
            JsonNode body = message.path("body");
            if (!body.isTextual()) {
                throw new UnreadableEventException("SQS message '" + message.path("messageId").asText()
                        + "' has no text body");
            }
            created.addAll(nested.read(body.asText()));
        }
        return created;
    }
}
