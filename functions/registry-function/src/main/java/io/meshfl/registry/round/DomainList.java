package io.meshfl.registry.round;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;

/** A list of domain ids stored as a JSON array in a text column (the round's expected domains). */
@Converter
public class DomainList implements AttributeConverter<List<String>, String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<String> domains) {
        try {
            return JSON.writeValueAsString(domains == null ? List.of() : domains);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a domain list", e);
        }
    }

    @Override
    public List<String> convertToEntityAttribute(String json) {
        try {
            return json == null ? List.of() : List.copyOf(JSON.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A round's expected_domains holds no list of domain ids: " + json, e);
        }
    }
}
