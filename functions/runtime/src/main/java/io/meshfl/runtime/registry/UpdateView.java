package io.meshfl.runtime.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.meshfl.runtime.registry.UpdateRegistration.UpdateStatus;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An update as the registry stored it. {@code duplicate} is true when the registration changed nothing (the
 * round already had this domain's update, be it the same key and ETag or another file); the other fields are
 * then the stored update's. The registry may have turned an ACCEPTED registration into REJECTED (late, round full).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpdateView(
        long roundId,
        String domain,
        String objectKey,
        String etag,
        String sha256,
        long numExamples,
        int baseRound,
        JsonNode metrics,
        UpdateStatus status,
        String reason,
        String dataProduct,
        String dataProductVersion,
        boolean duplicate) {
}
