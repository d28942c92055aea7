package io.meshfl.runtime.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A round as the registry returns it. {@code GET /models/{id}/rounds/current} fills in the model's settings
 * (architecture, strategy, policy, training; {@code enrolment} for a domain token only); {@code GET /rounds/{id}}
 * and the round inside close/complete answers carry the round's own fields (lease, failure reason) and leave the
 * settings null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoundView(
        long roundId,
        String model,
        int number,
        RoundState state,
        String globalModelKey,
        Instant openedAt,
        Instant deadline,
        Instant leaseUntil,
        String failureReason,
        JsonNode architecture,
        StrategySpec strategy,
        Policy policy,
        TrainingSpec training,
        Enrolment enrolment) {

    public enum RoundState {
        /** Taking updates. */
        OPEN,
        /** Closed to updates; one caller holds a lease to aggregate it. */
        AGGREGATING,
        /** Aggregated: its global model is written and the next round is open. */
        CLOSED,
        /** Ended without a new global model. */
        FAILED
    }

    /** The model's aggregation strategy, by name, with its parameters (server learning rate, momentum, …). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StrategySpec(String name, JsonNode params) {
    }

    /** The federation's rules for a model's rounds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Policy(
            Integer minDomains,
            Integer maxDomains,
            Long roundDeadlineSeconds,
            Double maxUpdateNorm,
            Double fedproxMu,
            DifferentialPrivacy dp) {
    }

    /** Differential-privacy settings; absent when the model does not use DP. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DifferentialPrivacy(Double clipNorm, Double noiseMultiplier, Double delta, Double epsilonBudget) {
    }

    /** How domains train locally. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TrainingSpec(Integer localEpochs, Integer batchSize, Double learningRate, String optimizer,
            Long seed) {
    }

    /** The calling domain's approved data product for this model (domain tokens only). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Enrolment(String dataProduct, String dataProductVersion, String location, String format,
            JsonNode columns, String labelColumn) {
    }
}
