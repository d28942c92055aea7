package io.meshfl.training.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The registry's answer to {@code GET /models/{id}/rounds/current} for a domain token: the open round, how to train
 * in it, and the caller's enrolled data product. {@code globalModelChecksum} is the data SHA-256 the registry recorded
 * for the global model (null where it recorded none).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CurrentRound(long roundId, String model, int number, String state, String globalModelKey,
        String globalModelChecksum, JsonNode architecture, Policy policy, Training training, Enrolment enrolment) {

    public boolean isOpen() {
        return "OPEN".equals(state);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Policy(Double maxUpdateNorm, Double fedproxMu, Dp dp) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Dp(Double clipNorm) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Training(Integer localEpochs, Integer batchSize, Double learningRate, String optimizer, Long seed,
                           String featureScaling) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Enrolment(String dataProduct, String dataProductVersion, String location, String format,
            List<Column> columns, String labelColumn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Column(String name, String logicalType) {
    }
}
