package io.meshfl.registry.version;

import com.fasterxml.jackson.databind.JsonNode;

/** A domain's evaluation of a round's global model on its hold-out split ({loss, accuracy, auc, rmse}). */
public record EvaluationReport(String domain, Long numExamples, JsonNode metrics) {
}
