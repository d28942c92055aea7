package io.meshfl.registry.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
     *
     * <p>Participation: each round expects every active enrolled domain, or a sample of {@code participants} of them
     * (or {@code participationFraction} of them, at least {@code minDomains}) drawn from the training seed and the
     * round number when the round opens. A round closes once every expected domain has sent its update, or at its
     * deadline with at least {@code minDomains}; below that it fails, and {@code onQuorumMissed} says whether the
     * next round opens by itself ({@code retry}, the default) or waits for the governance ({@code stop}).
     *
     * <p>Mode: {@code sync} (the default, rounds as above) or {@code async}, buffered asynchronous aggregation
     * ({@link io.meshfl.registry.model.AsyncRules}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(Integer minDomains, Integer maxDomains, Long roundDeadlineSeconds, Double maxUpdateNorm,
                         Double fedproxMu, Dp dp, Long maxExamplesPerUpdate, Integer participants,
                         Double participationFraction, String onQuorumMissed, String mode, Integer bufferSize,
                         Staleness staleness, Integer maxStaleness, Boolean resubmit) {

        public static final String RETRY = "retry";
        public static final String STOP = "stop";
        public static final String SYNC = "sync";
        public static final String ASYNC = "async";

        /** A synchronous policy (the fields before asynchronous aggregation existed). */
        public Policy(Integer minDomains, Integer maxDomains, Long roundDeadlineSeconds, Double maxUpdateNorm,
                      Double fedproxMu, Dp dp, Long maxExamplesPerUpdate, Integer participants,
                      Double participationFraction, String onQuorumMissed) {
            this(minDomains, maxDomains, roundDeadlineSeconds, maxUpdateNorm, fedproxMu, dp, maxExamplesPerUpdate,
                    participants, participationFraction, onQuorumMissed, null, null, null, null, null);
        }

        /** Whether a round that missed its quorum is followed by the next one at once. */
        public boolean retriesOnQuorumMissed() {
            return !STOP.equals(onQuorumMissed);
        }

        /** Whether a domain may replace its REJECTED update while the round is open (never an ACCEPTED one). */
        public boolean allowsResubmit() {
            return Boolean.TRUE.equals(resubmit);
        }

        /**
         * Buffered asynchronous aggregation (FedBuff): each round is a buffer that takes updates trained from any
         * version at most {@code maxStaleness} behind and closes at {@code bufferSize} of them.
         */
        @JsonIgnore
        public boolean isAsync() {
            return ASYNC.equals(mode);
        }
    }

    /** The staleness function of an asynchronous model: {@code constant}, {@code polynomial} (a) or {@code hinge} (a, b). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Staleness(String function, Double a, Double b) {
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
