package io.meshfl.registry.update;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * A registered update. {@code duplicate} is true when the registration found one already stored for the
 * (round, domain): the stored one is returned and nothing was replaced.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateView(Long id, Long roundId, String domain, String objectKey, String etag, String sha256,
                         long numExamples, int baseRound, JsonNode metrics, RoundUpdate.Status status, String reason,
                         String dataProduct, String dataProductVersion, OffsetDateTime registeredAt,
                         boolean duplicate) {
}
