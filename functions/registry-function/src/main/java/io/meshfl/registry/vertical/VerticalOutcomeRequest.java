package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalRoundState;
import java.util.List;

/**
 * The registry's reading of the client's {@link io.meshfl.registry.api.VerticalOutcome}, boxed: a missing value is a
 * field error naming {@code status} or {@code window}, not a silent default.
 */
public record VerticalOutcomeRequest(VerticalRoundState status, Integer window, List<String> missing, String reason) {
}
