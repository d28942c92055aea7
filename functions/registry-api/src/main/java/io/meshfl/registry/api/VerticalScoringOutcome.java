package io.meshfl.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /vertical-models/{id}/scorings/{s}/outcome}: how a scoring ended, as the head that settled it in the
 * object store ({@code outcome.json}, first write wins) reports it: {@code DONE} with the scores' key, or
 * {@code FAILED} with the reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalScoringOutcome(String status, String scoresKey, String reason) {

    public static VerticalScoringOutcome done(String scoresKey) {
        return new VerticalScoringOutcome("DONE", scoresKey, null);
    }

    public static VerticalScoringOutcome failed(String reason) {
        return new VerticalScoringOutcome("FAILED", null, reason);
    }
}
