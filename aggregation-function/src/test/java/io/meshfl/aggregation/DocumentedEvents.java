package io.meshfl.aggregation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The event payloads copied from each sender's documentation (functions/core/src/test/resources/events, see its
 * README), with helpers that replace only the object key.
 */
final class DocumentedEvents {

    static final ObjectMapper JSON = new ObjectMapper();

    private DocumentedEvents() {
    }

    static ObjectNode load(String name) {
        try (InputStream in = DocumentedEvents.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No documented payload events/" + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented S3 notification (or MinIO notification) naming {@code key} (given URL-encoded) instead. */
    static ObjectNode s3Notification(String file, String encodedKey, String etag) {
        ObjectNode event = load(file);
        ObjectNode object = (ObjectNode) event.path("Records").get(0).path("s3").path("object");
        object.put("key", encodedKey);
        object.put("eTag", etag);
        return event;
    }

    /** The documented EventBridge "Object Created" event naming {@code key} instead. */
    static ObjectNode eventBridge(String key, String etag) {
        ObjectNode event = load("aws-eventbridge-object-created.json");
        ObjectNode object = (ObjectNode) event.path("detail").path("object");
        object.put("key", key);
        object.put("etag", etag);
        return event;
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
