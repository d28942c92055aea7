package io.meshfl.registry.version;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A stored evaluation; {@code duplicate} when a report for the (round, domain) was already there. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record EvaluationView(Long roundId, String domain, long numExamples, JsonNode metrics, boolean duplicate) {
}
