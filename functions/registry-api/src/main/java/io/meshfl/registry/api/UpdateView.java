package io.meshfl.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An update as the registry stored it. {@code duplicate} is true when the registration changed nothing (the
 * round already had this domain's update, be it the same key and ETag or another file); the other fields are
 * then the stored update's. The registry may have turned an ACCEPTED registration into REJECTED (late, round full).
 */
public record UpdateView(
        Long id,
        long roundId,
        String domain,
        String objectKey,
        String etag,
        String sha256,
        long numExamples,
        int baseRound,
        JsonNode metrics,
        UpdateRegistration.UpdateStatus status,
        String reason,
        String dataProduct,
        String dataProductVersion,
        Instant registeredAt,
        boolean duplicate) {
}
