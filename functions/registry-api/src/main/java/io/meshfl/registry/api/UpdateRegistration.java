package io.meshfl.registry.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the aggregation function registers about one update ({@code POST /rounds/{roundId}/updates}). The registry
 * keeps the first registration per (round, domain): registering again is a no-op reported as a duplicate.
 * {@code baseRound} is the number of the round the update was filed under (the registry checks it against the
 * round); {@code metrics} is the domain's local evaluation, a JSON object; {@code reason} is required for REJECTED.
 */
public record UpdateRegistration(
        String domain,
        String objectKey,
        String etag,
        String sha256,
        long numExamples,
        int baseRound,
        JsonNode metrics,
        UpdateStatus status,
        String reason) {

    public enum UpdateStatus {
        ACCEPTED, REJECTED
    }
}
