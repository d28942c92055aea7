package io.meshfl.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CloudEvents 1.0 event over HTTP, in either content mode: structured (the whole event is a JSON document,
 * {@code application/cloudevents+json}) or binary (attributes in {@code ce-*} headers, the data is the body).
 * MeshFL only carries JSON data, so {@link #data()} is a JSON tree. Read by the aggregation function (Knative
 * sources), written by the registry's event connectors (from its outbox) and read again by the local mesh's event log.
 * {@code subject} and {@code time} (RFC 3339, kept as sent) are optional.
 */
public record CloudEvent(String id, String source, String type, String subject, String time, JsonNode data) {

    public static final String SPEC_VERSION = "1.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    public CloudEvent {
        require(id, "id");
        require(source, "source");
        require(type, "type");
    }

    /** Reads a structured-mode event; {@code data} may be inline JSON, JSON carried as a string, or {@code data_base64}. */
    public static CloudEvent structured(JsonNode event) {
        String specVersion = event.path("specversion").asText(null);
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new UnreadableEventException("CloudEvent specversion is '" + specVersion + "', expected '"
                    + SPEC_VERSION + "'");
        }
        JsonNode data;
        if (event.hasNonNull("data_base64")) {
            data = parse(Base64.getDecoder().decode(event.get("data_base64").asText()), "data_base64");
        } else if (event.path("data").isTextual()) {
            data = parse(event.get("data").asText(), "data");
        } else {
            data = event.path("data");
        }
        return new CloudEvent(text(event, "id"), text(event, "source"), text(event, "type"), text(event, "subject"),
                text(event, "time"), data);
    }

    /** Reads a binary-mode event from its HTTP headers (any case) and body. */
    public static CloudEvent binary(Map<String, String> headers, byte[] body) {
        Map<String, String> ce = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ce.putAll(headers);
        String specVersion = ce.get("ce-specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new UnreadableEventException("CloudEvent header ce-specversion is '" + specVersion + "', expected '"
                    + SPEC_VERSION + "'");
        }
        String contentType = ce.getOrDefault("content-type", "application/json").toLowerCase(Locale.ROOT);
        if (!contentType.contains("json")) {
            throw new UnreadableEventException("CloudEvent data has content type '" + contentType
                    + "'; MeshFL reads JSON data only");
        }
        return new CloudEvent(ce.get("ce-id"), ce.get("ce-source"), ce.get("ce-type"), ce.get("ce-subject"),
                ce.get("ce-time"), parse(body, "body"));
    }

    /** Reads a structured-mode event from its JSON text (as the registry's outbox stores it). */
    public static CloudEvent structured(String event) {
        return structured(parse(event, "event"));
    }

    /**
     * The HTTP headers of this event in binary mode: {@code ce-specversion}, {@code ce-id}, {@code ce-source},
     * {@code ce-type}, and {@code ce-subject}, {@code ce-time} when present, with {@code Content-Type} of the data;
     * {@link #binary(Map, byte[])} reads them back.
     */
    public Map<String, String> binaryHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce-specversion", SPEC_VERSION);
        headers.put("ce-id", id);
        headers.put("ce-source", source);
        headers.put("ce-type", type);
        if (subject != null) {
            headers.put("ce-subject", subject);
        }
        if (time != null) {
            headers.put("ce-time", time);
        }
        headers.put("Content-Type", "application/json");
        return headers;
    }

    /** The data as the body of a binary-mode request (JSON; {@code null} when the event has no data). */
    public String dataJson() {
        try {
            return JSON.writeValueAsString(data == null || data.isMissingNode() ? NullNode.getInstance() : data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    private static JsonNode parse(byte[] bytes, String where) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UnreadableEventException("CloudEvent " + where + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UnreadableEventException("CloudEvent " + where + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode event, String attribute) {
        JsonNode value = event.get(attribute);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void require(String value, String attribute) {
        if (value == null || value.isEmpty()) {
            throw new UnreadableEventException("CloudEvent has no '" + attribute + "' attribute");
        }
    }
}
