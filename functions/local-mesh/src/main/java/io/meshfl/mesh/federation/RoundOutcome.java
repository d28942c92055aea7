package io.meshfl.mesh.federation;

import java.util.List;

/**
 * How a round ended, as the registry recorded it: the updates it accepted and rejected (with reasons), the
 * global model it produced, and how long it took from the first trigger to the next round's opening.
 */
public record RoundOutcome(int round, int accepted, int rejected, List<String> rejections, String nextGlobalModelKey,
                           double seconds) {

    public RoundOutcome {
        rejections = List.copyOf(rejections);
    }
}
