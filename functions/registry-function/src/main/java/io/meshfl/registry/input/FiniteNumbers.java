package io.meshfl.registry.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.registry.problem.FieldErrors;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds numbers in free-form JSON (metrics, strategy parameters, architectures) that are not finite 64-bit floats:
 * Jackson reads {@code 1e400} into a tree as infinity, which would be stored and served back as "Infinity".
 */
public final class FiniteNumbers {

    private FiniteNumbers() {
    }

    /** Adds a field error, at its JSON path under {@code field}, for every number in {@code node} that overflows. */
    public static void check(String field, JsonNode node, FieldErrors errors) {
        if (node == null) {
            return;
        }
        if (node.isNumber()) {
            if (!Double.isFinite(node.asDouble())) {
                errors.add(field, "must be a finite number, was " + node.asText());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(field + "[" + i + "]", node.get(i), errors);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                check(field + "." + entry.getKey(), entry.getValue(), errors);
            }
        }
    }
}
