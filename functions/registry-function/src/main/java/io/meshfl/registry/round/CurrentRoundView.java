package io.meshfl.registry.round;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.registry.dataproduct.ParsedDescriptor;
import io.meshfl.registry.model.ModelDefinition;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a training function needs to train in the current round ({@code enrolment} for a domain token only);
 * {@code globalModelChecksum} is the data SHA-256 recorded for the global model, which readers verify before use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurrentRoundView(Long roundId, String model, int number, Round.State state, String globalModelKey,
                               String globalModelChecksum,
                               OffsetDateTime openedAt, OffsetDateTime deadline, JsonNode architecture,
                               ModelDefinition.Strategy strategy, ModelDefinition.Policy policy,
                               ModelDefinition.Training training, EnrolmentDetails enrolment) {

    /** The caller's own enrolled data product: where to read it and how. */
    public record EnrolmentDetails(String dataProduct, String dataProductVersion, String location, String format,
                                   List<ParsedDescriptor.Column> columns, String labelColumn) {
    }
}
