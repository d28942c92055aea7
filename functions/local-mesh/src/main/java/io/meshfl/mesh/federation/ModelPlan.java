package io.meshfl.mesh.federation;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.training.dataproduct.FeatureScaling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The federated model the demo registers: an MLP over the dataset's features, the chosen strategy, the round's
 * quorum and deadline (by default every domain, within 600 s), and the local training settings every domain's
 * training function applies.
 */
public record ModelPlan(String id, String purpose, int inputs, List<Integer> hidden, int classes, String strategy,
                        int domains, int minDomains, long roundDeadlineSeconds, int localEpochs, int batchSize,
                        double learningRate, String optimizer, long seed, Integer bufferSize, boolean resubmit) {

    /** The default deadline: far beyond a round of the demo, so that rounds end by their quorum. */
    public static final long DEFAULT_DEADLINE_SECONDS = 600;

    public static ModelPlan demo(String dataset, String purpose, int inputs, int classes, String strategy, int domains,
                                 long seed) {
        return new ModelPlan(dataset + "-classifier", purpose, inputs, List.of(32), classes, strategy, domains, domains,
                DEFAULT_DEADLINE_SECONDS, 2, 32, 0.01, "adam", seed, null, false);
    }

    /** This plan with another quorum and round deadline ({@code --min-domains}, {@code --deadline}). */
    public ModelPlan withParticipation(int minDomains, long roundDeadlineSeconds) {
        return new ModelPlan(id, purpose, inputs, hidden, classes, strategy, domains, minDomains, roundDeadlineSeconds,
                localEpochs, batchSize, learningRate, optimizer, seed, bufferSize, resubmit);
    }

    /**
     * This plan with {@code policy.resubmit} ({@code --resubmit}): a domain may replace its REJECTED update of an open
     * round by uploading a corrected file (a domain played from outside, which can get an update wrong).
     */
    public ModelPlan withResubmit(boolean resubmit) {
        return new ModelPlan(id, purpose, inputs, hidden, classes, strategy, domains, minDomains, roundDeadlineSeconds,
                localEpochs, batchSize, learningRate, optimizer, seed, bufferSize, resubmit);
    }

    /** This plan under another model id (the two models of {@code --aggregation compare}). */
    public ModelPlan withId(String otherId) {
        return new ModelPlan(otherId, purpose, inputs, hidden, classes, strategy, domains, minDomains,
                roundDeadlineSeconds, localEpochs, batchSize, learningRate, optimizer, seed, bufferSize, resubmit);
    }

    /** This plan as an asynchronous (FedBuff) model folding buffers of {@code bufferSize} updates. */
    public ModelPlan withBuffer(int bufferSize) {
        return new ModelPlan(id, purpose, inputs, hidden, classes, strategy, domains, minDomains, roundDeadlineSeconds,
                localEpochs, batchSize, learningRate, optimizer, seed, bufferSize, resubmit);
    }

    public boolean async() {
        return bufferSize != null;
    }

    /**
     * The demo publishes every domain's data product on one mesh-wide feature scale (its data contract), so domains
     * train on raw values: local standardisation would put each label-skewed domain on a scale of its own.
     */
    public static final FeatureScaling FEATURE_SCALING = FeatureScaling.NONE;

    public ModelPlan {
        hidden = List.copyOf(hidden);
    }

    /** The architecture as the registry stores it and the training function builds it. */
    public Map<String, Object> architecture() {
        Map<String, Object> architecture = new LinkedHashMap<>();
        architecture.put("template", "mlp");
        architecture.put("inputs", inputs);
        architecture.put("hidden", hidden);
        architecture.put("outputs", classes);
        return architecture;
    }

    /** The body of {@code POST /models}. */
    public Map<String, Object> definition() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("purpose", purpose);
        model.put("architecture", architecture());
        model.put("strategy", Map.of("name", strategy, "params", strategyParams(strategy, domains)));
        // By default every domain must contribute before a round closes: the demo compares like with like every round.
        Map<String, Object> policy = new LinkedHashMap<>();
        if (async()) {
            policy.put("mode", "async");
            policy.put("bufferSize", bufferSize);
        } else {
            policy.put("minDomains", minDomains);
            policy.put("maxDomains", domains);
            policy.put("roundDeadlineSeconds", roundDeadlineSeconds);
        }
        if (resubmit) {
            policy.put("resubmit", true);
        }
        model.put("policy", policy);
        model.put("training", Map.of("localEpochs", localEpochs, "batchSize", batchSize, "learningRate", learningRate,
                "optimizer", optimizer, "seed", seed, "featureScaling", FEATURE_SCALING.name().toLowerCase(Locale.ROOT)));
        return model;
    }

    /**
     * Parameters that make a robust strategy robust at the demo's federation size: the defaults are tuned for many
     * clients, and with four domains trimmed mean's β = 0.2 trims nothing and Krum assumes no attacker.
     * <ul>
     *   <li>trimmed mean: β large enough to cut one domain from each end of every coordinate;</li>
     *   <li>Krum, Multi-Krum: tolerate one Byzantine domain when there are enough domains for that (K ≥ 2f + 3).</li>
     * </ul>
     */
    public static Map<String, Number> strategyParams(String strategy, int domains) {
        return switch (strategy) {
            case "trimmed-mean" -> Map.of("beta", Math.max(0.2, Math.min(0.49, 1.0 / domains)));
            case "krum", "multi-krum" -> Map.of("byzantine", domains >= 5 ? 1 : 0);
            default -> Map.of();
        };
    }

    public String globalModelKey(int round) {
        return ObjectKeys.globalModel(id, round);
    }
}
