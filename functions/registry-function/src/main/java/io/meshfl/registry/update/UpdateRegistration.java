package io.meshfl.registry.update;

import com.fasterxml.jackson.databind.JsonNode;

/** The aggregation function's verdict on one domain's update, as it registers it. */
public record UpdateRegistration(String domain, String objectKey, String etag, String sha256, Long numExamples,
                                 Integer baseRound, JsonNode metrics, RoundUpdate.Status status, String reason) {
}
