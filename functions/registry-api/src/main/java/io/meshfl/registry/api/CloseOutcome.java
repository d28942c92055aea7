package io.meshfl.registry.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@code POST /rounds/{roundId}/close}, a compare-and-set: exactly one caller wins (OPEN →
 * AGGREGATING, or takeover of an expired lease) and must aggregate before its lease ends; every other caller loses
 * and learns the round's current state.
 */
public sealed interface CloseOutcome {

    /** This caller holds the round until {@code leaseUntil} and aggregates exactly {@code accepted}. */
    record Won(RoundView round, Instant leaseUntil, List<UpdateView> accepted) implements CloseOutcome {
        public Won {
            accepted = List.copyOf(accepted);
        }
    }

    /** Another caller holds (or held) the round; {@code state} is where the round stands now. */
    record Lost(RoundState state, String detail) implements CloseOutcome {
    }
}
