package io.meshfl.mesh.report;

import java.util.Map;

/**
 * What one federated round produced: who took part and how it ended, the global model it left (a failed round
 * leaves the one it started from) with its accuracy and loss on the common hold-out set and its accuracy on each
 * domain's own hold-out split, and the round's wall time.
 */
public record RoundResult(int round, Participation participation, double accuracy, double loss,
                          Map<String, Double> domainAccuracy, double seconds) {

    public RoundResult {
        domainAccuracy = Map.copyOf(domainAccuracy);
    }

    public int acceptedCount() {
        return participation.accepted().size();
    }

    /** Updates the round did not count: late ones and those rejected for another reason. */
    public int rejectedCount() {
        return participation.late().size() + participation.rejected().size();
    }
}
