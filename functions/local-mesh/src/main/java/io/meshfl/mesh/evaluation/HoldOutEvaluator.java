package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.dataset.DomainShare;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.Standardization;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.evaluate.Evaluator;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures models on the demo's common test set, the union of the domains' hold-out splits, with the training
 * function's own model and evaluation code (so the numbers mean what the domains' reports mean).
 *
 * <p>Features are scaled as the model's user would, with the model's {@link FeatureScaling}: with {@code local}, a
 * federated model by each domain with its own statistics (computed from its published rows; the training function
 * computes them from its training split of the same rows), a local-only model by its domain's statistics on every
 * row, the centralised model by the pooled rows' statistics; with {@code none}, not at all.
 */
public final class HoldOutEvaluator {

    private final Architecture architecture;
    private final Map<String, TabularData> publishedRows = new LinkedHashMap<>();
    private final Map<String, TabularData> holdOutRows = new LinkedHashMap<>();
    private final TabularData unionHoldOut;
    private final TabularData unionPublished;
    private final Evaluator evaluator = new Evaluator();
    private final FeatureScaling scaling;

    public HoldOutEvaluator(Architecture architecture, FederatedSplit split, FeatureScaling scaling) {
        this.architecture = architecture;
        this.scaling = scaling;
        for (DomainShare share : split.shares()) {
            publishedRows.put(share.domain(), ModelInputs.rows(share.published()));
            holdOutRows.put(share.domain(), ModelInputs.rows(share.holdOut()));
        }
        this.unionHoldOut = ModelInputs.rows(split.unionHoldOut());
        this.unionPublished = ModelInputs.rows(split.unionPublished());
    }

    /** A federated global model: each domain's hold-out scaled with that domain's statistics, pooled by rows. */
    public DomainEvaluation federated(ModelWeights weights) {
        Map<String, Metrics> domains = new LinkedHashMap<>();
        double lossSum = 0;
        double correct = 0;
        int rows = 0;
        try (TabularModel model = TabularModel.of(architecture, weights)) {
            for (var domain : holdOutRows.entrySet()) {
                Standardization statistics = scaling.fit(publishedRows.get(domain.getKey()));
                var metrics = evaluator.evaluate(model, statistics.apply(domain.getValue()));
                domains.put(domain.getKey(), metrics);
                lossSum += metrics.loss() * metrics.examples();
                correct += metrics.accuracy() * metrics.examples();
                rows += metrics.examples();
            }
        }
        return new DomainEvaluation(new Metrics(rows, lossSum / rows, correct / rows, null, null), domains);
    }

    /** A model one party uses on every row, scaled with that party's statistics. */
    public Metrics onUnion(ModelWeights weights, Standardization statistics) {
        try (TabularModel model = TabularModel.of(architecture, weights)) {
            return evaluator.evaluate(model, statistics.apply(unionHoldOut));
        }
    }

    FeatureScaling scaling() {
        return scaling;
    }

    TabularData published(String domain) {
        return publishedRows.get(domain);
    }

    TabularData unionPublished() {
        return unionPublished;
    }

    List<String> domains() {
        return List.copyOf(publishedRows.keySet());
    }

    public Architecture architecture() {
        return architecture;
    }
}
