package io.meshfl.mesh.report;

import java.util.Map;

/**
 * What one federated round produced: updates accepted and rejected, the new global model's accuracy and loss
 * on the common hold-out set, its accuracy on each domain's own hold-out split, and the round's wall time.
 */
public record RoundResult(int round, int accepted, int rejected, double accuracy, double loss,
                          Map<String, Double> domainAccuracy, double seconds) {

    public RoundResult {
        domainAccuracy = Map.copyOf(domainAccuracy);
    }
}
