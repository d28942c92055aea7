package io.meshfl.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A scoring of a vertical model as the registry answers it ({@code state} PENDING, DONE with {@code scoresKey}, or
 * FAILED with {@code reason}). {@code request} (only in the answer that creates it) is the object the governance side
 * writes once to {@code requestKey}: exactly what the parties and the head read (the vertical module's
 * {@code ScoringRequest}, version 1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalScoringView(String scoringId, String model, String session, int version, int round, int count,
                                  String digest, String requestKey, String outcomeKey, String state, String reason,
                                  String scoresKey, Instant requestedAt, Instant closedAt,
                                  Map<String, Object> request) {
}
