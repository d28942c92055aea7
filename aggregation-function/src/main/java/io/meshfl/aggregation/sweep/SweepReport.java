package io.meshfl.aggregation.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meshfl.aggregation.ObjectReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweeper's answer: how many rounds the registry listed as due ({@code seen}), how many this invocation
 * completed ({@code aggregated}) and ended below quorum ({@code expired}, including an expiry a concurrent sweep made
 * first: the registry answers a repeated expiry as the first), what became of each round, the errors, and the
 * milliseconds spent per phase; {@code recovered}: the updates of open rounds found in the bucket but not in the
 * registry (their object event was lost), taken in through the event path.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepReport(int seen, int aggregated, int expired, List<SweptRound> rounds,
                          List<ObjectReport> recovered, List<String> errors, Map<String, Double> millis) {

    public SweepReport {
        rounds = List.copyOf(rounds);
        recovered = List.copyOf(recovered);
        errors = List.copyOf(errors);
        millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }

    /** One due round: the registry's action for it and its outcome here. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SweptRound(long roundId, String model, int number, String action, Outcome outcome, String detail) {
    }

    public enum Outcome {
        /** This invocation closed and completed the round (the key of the new global model is the detail). */
        AGGREGATED,
        /** The round is FAILED below its quorum (the detail says whether and which round replaced it). */
        EXPIRED,
        /** Nothing to do any more: another invocation closed it, or the round moved on (the detail says why). */
        SKIPPED,
        /** The action failed; the round stays due and the next sweep tries again. */
        ERROR
    }
}
