package io.meshfl.mesh.federation;

import java.util.List;

/**
 * How a round ended, as the registry recorded it: its state ({@code CLOSED}, or {@code FAILED} with the registry's
 * reason), the updates it accepted and rejected (with reasons), the global model the next round starts from (the
 * same one after a failed round), and how long it took from the first trigger to the round's end.
 *
 * @param roundId the registry's id of the round (a failed round's retry has another)
 */
public record RoundOutcome(int round, long roundId, String state, String failureReason, int accepted, int rejected,
                           List<String> rejections, String nextGlobalModelKey, double seconds) {

    public static final String CLOSED = "CLOSED";
    public static final String FAILED = "FAILED";

    public RoundOutcome {
        rejections = List.copyOf(rejections);
    }

    public boolean failed() {
        return FAILED.equals(state);
    }
}
