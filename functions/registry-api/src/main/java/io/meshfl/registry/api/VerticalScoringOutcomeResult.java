package io.meshfl.registry.api;

/**
 * The answer to {@code POST /vertical-models/{id}/scorings/{s}/outcome}: {@code recorded} is true for the call that
 * recorded the scoring's outcome, false for every later one, which gets the scoring as the first outcome left it.
 */
public record VerticalScoringOutcomeResult(boolean recorded, VerticalScoringView scoring) {
}
