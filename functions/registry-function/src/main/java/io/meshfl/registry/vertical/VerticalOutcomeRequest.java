package io.meshfl.registry.vertical;

import java.util.List;

/**
 * The registry's reading of the client's {@link io.meshfl.registry.api.VerticalOutcome}: boxed, and the status as text,
 * so that a missing or unknown value is a field error naming {@code status} or {@code window}.
 */
public record VerticalOutcomeRequest(String status, Integer window, List<String> missing, String reason) {
}
