package io.meshfl.core.strategy;

import java.util.Map;

/**
 * What a strategy returns besides the new global model: the state for the next round, and a report for the
 * registry and the logs (e.g. which updates Krum selected, the privacy spent so far).
 */
public record AggregationOutcome(ServerState state, Map<String, String> report) {

    public AggregationOutcome {
        report = Map.copyOf(report);
    }
}
