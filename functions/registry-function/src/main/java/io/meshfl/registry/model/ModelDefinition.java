package io.meshfl.registry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A model (FL task) as the governance registers it and the functions read it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDefinition(String id, String purpose, JsonNode architecture, Strategy strategy, Policy policy,
                              Training training) {

    /** The aggregation strategy by its core name and its parameters. */
    public record Strategy(String name, JsonNode params) {
    }

    /**
     * Round governance: quorum, deadline, update bound, FedProx μ, central DP, and the most examples one update may
     * claim (its weight in FedAvg; each domain's claim is also bounded by its data product's declared records).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(Integer minDomains, Integer maxDomains, Long roundDeadlineSeconds, Double maxUpdateNorm,
                         Double fedproxMu, Dp dp, Long maxExamplesPerUpdate) {
    }

    /** Central differential privacy (DP-FedAvg): clip norm C, noise σ, δ and the ε the model may spend. */
    public record Dp(Double clipNorm, Double noiseMultiplier, Double delta, Double epsilonBudget) {
    }

    /** Local training settings the training function applies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(Integer localEpochs, Integer batchSize, Double learningRate, String optimizer, Long seed,
                           String featureScaling) {
    }
}
