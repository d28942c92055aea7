package io.meshfl.registry.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * JSON documents kept in text columns (configuration the functions read whole, metric maps, domain lists).
 * Text rather than jsonb: the registry never queries inside them, and text maps the same over JDBC and the
 * reactive client.
 */
@ApplicationScoped
public class JsonColumns {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public JsonColumns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for a column", e);
        }
    }

    public JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON column holds invalid JSON: " + json, e);
        }
    }

    public List<String> strings(String json) {
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON column holds no list of strings: " + json, e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
