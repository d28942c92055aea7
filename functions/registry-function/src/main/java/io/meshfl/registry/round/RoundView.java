package io.meshfl.registry.round;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A round as the API shows it; {@code expectedDomains}: who the round waits for, fixed when it opened;
 * {@code aggregationPlan}: a sharded round's plan, absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoundView(Long roundId, String model, int number, Round.Kind kind, Round.State state,
                        String globalModelKey, OffsetDateTime openedAt, OffsetDateTime deadline,
                        OffsetDateTime aggregatingSince, OffsetDateTime leaseUntil, OffsetDateTime closedAt,
                        String failureReason, long version, List<String> expectedDomains,
                        io.meshfl.registry.api.AggregationPlan aggregationPlan) {

    public static RoundView of(Round round) {
        return new RoundView(round.id, round.modelId, round.number, round.kind, round.state, round.globalModelKey,
                round.openedAt, round.deadline, round.aggregatingSince, round.leaseUntil, round.closedAt,
                round.failureReason, round.version, round.expectedDomains, round.aggregationPlan);
    }
}
