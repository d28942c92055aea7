package io.meshfl.registry.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A round as the registry returns it. {@code GET /models/{id}/rounds/current} fills in the model's settings
 * (architecture, strategy, policy, training; {@code enrolment} for a domain token only); {@code GET /rounds/{id}}
 * and the rounds inside close and complete answers carry the round's own fields (kind, lease, failure reason,
 * version) and leave the settings null. {@code globalModelChecksum} is the data SHA-256 the registry recorded for
 * the round's global model (null where it recorded none); every reader verifies it before use.
 * {@code maxExamples} is, per enrolled domain, the most examples one update
 * may claim (the enrolled data product's declared records and the policy's cap, whichever is smaller); domains
 * without a bound are absent, and a domain token sees its own only. {@code expectedDomains} are the domains the
 * round waits for (every active enrolled domain, or the policy's seeded sample), recorded when the round opened: every
 * function reads the same list, and an update from any other domain is rejected. {@code aggregationPlan}: how a
 * sharded round is aggregated ({@code GET /rounds/{id}}; null for a round aggregated by one invocation).
 */
public record RoundView(
        long roundId,
        String model,
        int number,
        String kind,
        RoundState state,
        String globalModelKey,
        String globalModelChecksum,
        Instant openedAt,
        Instant deadline,
        Instant aggregatingSince,
        Instant leaseUntil,
        Instant closedAt,
        String failureReason,
        Long version,
        JsonNode architecture,
        StrategySpec strategy,
        Policy policy,
        TrainingSpec training,
        Enrolment enrolment,
        Map<String, Long> maxExamples,
        List<String> expectedDomains,
        AggregationPlan aggregationPlan) {

    public boolean isOpen() {
        return state == RoundState.OPEN;
    }

    /** The most examples an update of {@code domain} may claim in this round, if the registry bounds it. */
    public OptionalLong maxExamples(String domain) {
        Long bound = maxExamples == null ? null : maxExamples.get(domain);
        return bound == null ? OptionalLong.empty() : OptionalLong.of(bound);
    }

    /** The model's aggregation strategy, by name, with its parameters (server learning rate, momentum, …). */
    public record StrategySpec(String name, JsonNode params) {
    }

    /**
     * The federation's rules for a model's rounds. Participation: {@code participants} or
     * {@code participationFraction} (absent: every active enrolled domain is expected); a round closes when every
     * expected domain is in, or at the deadline with {@code minDomains}; below that it fails and
     * {@code onQuorumMissed} ({@code retry} or {@code stop}) says whether the next round opens by itself.
     * {@code mode} {@code async}: see {@link #isAsync()}.
     */
    public record Policy(
            Integer minDomains,
            Integer maxDomains,
            Long roundDeadlineSeconds,
            Double maxUpdateNorm,
            Double fedproxMu,
            DifferentialPrivacy dp,
            Long maxExamplesPerUpdate,
            Integer participants,
            Double participationFraction,
            String onQuorumMissed,
            String mode,
            Integer bufferSize,
            Staleness staleness,
            Integer maxStaleness,
            Boolean resubmit) {

        public static final String ASYNC = "async";

        /** A synchronous policy (the fields before asynchronous aggregation existed). */
        public Policy(Integer minDomains, Integer maxDomains, Long roundDeadlineSeconds, Double maxUpdateNorm,
                Double fedproxMu, DifferentialPrivacy dp, Long maxExamplesPerUpdate, Integer participants,
                Double participationFraction, String onQuorumMissed) {
            this(minDomains, maxDomains, roundDeadlineSeconds, maxUpdateNorm, fedproxMu, dp, maxExamplesPerUpdate,
                    participants, participationFraction, onQuorumMissed, null, null, null, null, null);
        }

        /**
         * Buffered asynchronous aggregation (FedBuff): each round is a buffer of {@code bufferSize} updates trained
         * from any version at most {@code maxStaleness} behind, each weighted by {@code staleness}.
         */
        @JsonIgnore
        public boolean isAsync() {
            return ASYNC.equals(mode);
        }

        /** Whether the domain may replace a REJECTED update of an open round (policy {@code resubmit: true}). */
        public boolean allowsResubmit() {
            return Boolean.TRUE.equals(resubmit);
        }
    }

    /** An asynchronous model's staleness function: {@code constant}, {@code polynomial} (a) or {@code hinge} (a, b). */
    public record Staleness(String function, Double a, Double b) {
    }

    /** Differential-privacy settings; absent when the model does not use DP. */
    public record DifferentialPrivacy(Double clipNorm, Double noiseMultiplier, Double delta, Double epsilonBudget) {
    }

    /**
     * How domains train locally; {@code featureScaling} is {@code local} (standardise with the domain's own
     * statistics) or {@code none} (the data contract already puts every domain on one scale).
     */
    public record TrainingSpec(Integer localEpochs, Integer batchSize, Double learningRate, String optimizer,
            Long seed, String featureScaling) {
    }

    /** The calling domain's approved data product for this model (domain tokens only). */
    public record Enrolment(String dataProduct, String dataProductVersion, String location, String format,
            List<Column> columns, String labelColumn) {
    }

    /** A column of a data product's schema, with its logical type from the data contract. */
    public record Column(String name, String logicalType) {
    }
}
