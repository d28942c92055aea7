package io.meshfl.registry.api;

import java.util.Map;

/**
 * A domain's evaluation of a round's global model on its hold-out split ({@code POST /rounds/{roundId}/metrics},
 * domain token): loss, accuracy, auc, rmse as the model's task defines them.
 */
public record MetricsReport(String domain, long numExamples, Map<String, Double> metrics) {

    public MetricsReport {
        metrics = Map.copyOf(metrics);
    }
}
