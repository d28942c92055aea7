package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The payloads under {@code src/test/resources/events/}, copied from each sender's documentation (see its README). */
final class DocumentedPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentedPayloads() {
    }

    static JsonNode load(String name) {
        try (InputStream in = DocumentedPayloads.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No documented payload events/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
