package io.meshfl.registry.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;

/** Jackson's reference chain as the dotted path our field errors use ({@code policy.dp.delta}, {@code outputPorts[0]}). */
final class JsonPaths {

    private JsonPaths() {
    }

    static String of(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
