package io.meshfl.registry.vertical;

/** {@code POST /vertical-models/{id}/scorings/{s}/outcome}: what the head settled in {@code outcome.json}. */
public record VerticalScoringOutcome(String status, String scoresKey, String reason) {
}
