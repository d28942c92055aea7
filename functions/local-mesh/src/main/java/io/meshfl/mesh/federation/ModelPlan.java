package io.meshfl.mesh.federation;

import io.meshfl.training.dataproduct.FeatureScaling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The federated model the demo registers: an MLP over the dataset's features, the chosen strategy, a quorum of
 * every domain, and the local training settings every domain's training function applies.
 */
public record ModelPlan(String id, String purpose, int inputs, List<Integer> hidden, int classes, String strategy,
                        int domains, int localEpochs, int batchSize, double learningRate, String optimizer, long seed) {

    public static ModelPlan demo(String dataset, String purpose, int inputs, int classes, String strategy, int domains,
                                 long seed) {
        return new ModelPlan(dataset + "-classifier", purpose, inputs, List.of(32), classes, strategy, domains, 2, 32,
                0.01, "adam", seed);
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
        model.put("strategy", Map.of("name", strategy, "params", Map.of()));
        // Every domain must contribute before a round closes: the demo compares like with like every round.
        model.put("policy", Map.of("minDomains", domains, "maxDomains", domains, "roundDeadlineSeconds", 600));
        model.put("training", Map.of("localEpochs", localEpochs, "batchSize", batchSize, "learningRate", learningRate,
                "optimizer", optimizer, "seed", seed, "featureScaling", FEATURE_SCALING.name().toLowerCase(Locale.ROOT)));
        return model;
    }

    public String globalModelKey(int round) {
        return "models/" + id + "/global/" + round + ".safetensors";
    }
}
