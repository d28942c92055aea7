package io.meshfl.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A round event as the outbox stores it (structured-mode JSON), taken apart for a binary-mode or bus delivery. */
record CloudEvent(Map<String, String> attributes, String dataJson) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static CloudEvent parse(String structured) {
        try {
            JsonNode event = JSON.readTree(structured);
            Map<String, String> attributes = new LinkedHashMap<>();
            event.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("data")) {
                    attributes.put(field.getKey(), field.getValue().asText());
                }
            });
            return new CloudEvent(attributes, JSON.writeValueAsString(event.path("data")));
        } catch (IOException e) {
            throw new UncheckedIOException("not a structured CloudEvent: " + e.getMessage(), e);
        }
    }

    String type() {
        return attributes.get("type");
    }

    String time() {
        return attributes.get("time");
    }

    String contentType() {
        return attributes.getOrDefault("datacontenttype", "application/json");
    }
}
