package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An S3 event routed through Amazon EventBridge: {@code {"source":"aws.s3","detail-type":"Object Created",
 * "detail":{"bucket":{"name"},"object":{"key","size","etag"}}}}. Other S3 detail types (Object Deleted, …) are
 * recognised and name no created object.
 *
 * <p>The key is used as delivered: EventBridge's detail schema documents {@code object.key} as the key name, with
 * none of the form encoding of the notification format. MeshFL's own keys use only unreserved characters, which
 * read the same either way.
 */
final class EventBridgeShape implements EventShape {

    static final String OBJECT_CREATED = "Object Created";

    @Override
    public String name() {
        return "EventBridge S3 event";
    }

    @Override
    public boolean recognises(JsonNode event) {
        return "aws.s3".equals(event.path("source").asText()) && event.has("detail-type");
    }

    @Override
    public List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested) {
        if (!OBJECT_CREATED.equals(event.path("detail-type").asText())) {
            return List.of();
        }
        JsonNode detail = event.path("detail");
        JsonNode object = detail.path("object");
        if (!object.path("key").isTextual()) {
            throw new UnreadableEventException("EventBridge '" + OBJECT_CREATED + "' event '"
                    + event.path("id").asText() + "' has no detail.object.key");
        }
        String etag = object.path("etag").isTextual() ? object.path("etag").asText() : null;
        String bucket = detail.path("bucket").path("name").isTextual() ? detail.path("bucket").path("name").asText() : null;
        return List.of(new ObjectCreated(bucket, object.path("key").asText(), etag, object.path("size").asLong()));
    }
}
