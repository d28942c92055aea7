package io.meshfl.registry.vertical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A scoring as the registry answers it. {@code request} (only when it is created) is the object the governance side
 * writes once to {@code requestKey}: exactly what the parties and the head read (the vertical module's
 * {@code ScoringRequest}, version 1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalScoringView(String scoringId, String model, String session, int version, int round, int count,
                                  String digest, String requestKey, String outcomeKey, String state, String reason,
                                  String scoresKey, OffsetDateTime requestedAt, OffsetDateTime closedAt,
                                  Map<String, Object> request) {

    static VerticalScoringView of(VerticalScoring s, List<String> pseudonyms) {
        Map<String, Object> request = pseudonyms == null ? null : new java.util.LinkedHashMap<>();
        if (request != null) {
            request.put("version", 1);
            request.put("model", s.modelId);
            request.put("scoring", s.scoringId);
            request.put("session", s.session);
            request.put("round", s.round);
            request.put("pseudonyms", pseudonyms);
            request.put("digest", s.digest);
        }
        return new VerticalScoringView(s.scoringId, s.modelId, s.session, s.version, s.round, s.count, s.digest,
                io.meshfl.core.keys.ObjectKeys.scoringRequest(s.modelId, s.scoringId),
                io.meshfl.core.keys.ObjectKeys.scoringOutcome(s.modelId, s.scoringId), s.state.name(), s.reason,
                s.scoresKey, s.requestedAt, s.closedAt, request);
    }
}
