package io.meshfl.registry.round;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.registry.dataproduct.ParsedDescriptor;
import io.meshfl.registry.model.ModelDefinition;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a training function needs to train in the current round ({@code enrolment} for a domain token only), and
 * what the aggregation function checks updates against: {@code maxExamples}, per enrolled domain, the most examples
 * an update may claim (a domain token sees its own only; domains without a bound are absent).
 * {@code globalModelChecksum} is the data SHA-256 recorded for the global model, which readers verify before use.
 * {@code expectedDomains}: the domains the round waits for (all active enrolled ones or the policy's sample), recorded
 * when it opened, so that every function reads the same list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurrentRoundView(Long roundId, String model, int number, Round.State state, String globalModelKey,
                               String globalModelChecksum,
                               OffsetDateTime openedAt, OffsetDateTime deadline, JsonNode architecture,
                               ModelDefinition.Strategy strategy, ModelDefinition.Policy policy,
                               ModelDefinition.Training training, EnrolmentDetails enrolment,
                               Map<String, Long> maxExamples, List<String> expectedDomains) {

    /** The caller's own enrolled data product: where to read it and how. */
    public record EnrolmentDetails(String dataProduct, String dataProductVersion, String location, String format,
                                   List<ParsedDescriptor.Column> columns, String labelColumn) {
    }
}
