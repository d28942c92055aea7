package io.meshfl.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to {@code POST /vertical-models/{id}/rounds/{n}/outcome}: {@code recorded} is true for the call that
 * recorded the round's outcome (and opened {@code next} in the same transaction, unless the policy's rounds are run),
 * false for every later call, which gets the round as the first outcome left it: the first outcome wins.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalOutcomeResult(boolean recorded, VerticalRoundView round, VerticalRoundView next) {
}
