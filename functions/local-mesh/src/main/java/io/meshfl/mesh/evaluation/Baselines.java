package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.report.Metrics;
import io.meshfl.training.dataproduct.TabularData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two references the federated model is compared with, trained in this process with the training function's
 * own code from the same initial weights, with the same settings, for the same number of rounds:
 * <ul>
 *   <li>local only: a domain training alone on its own data product, round after round;</li>
 *   <li>centralised: one party training on the union of every domain's data product, round after round.</li>
 * </ul>
 */
public final class Baselines {

    private final HoldOutEvaluator evaluator;
    private final RoundTrainer trainer;

    public Baselines(HoldOutEvaluator evaluator, RoundTrainer trainer) {
        this.evaluator = evaluator;
        this.trainer = trainer;
    }

    public Map<String, Metrics> localOnly(ModelWeights initial, int rounds) {
        Map<String, Metrics> local = new LinkedHashMap<>();
        for (String domain : evaluator.domains()) {
            TabularData rows = evaluator.published(domain);
            local.put(domain, evaluator.onUnion(train(initial, rows, rounds), evaluator.scaling().fit(rows)));
        }
        return local;
    }

    public Metrics centralized(ModelWeights initial, int rounds) {
        TabularData rows = evaluator.unionPublished();
        return evaluator.onUnion(train(initial, rows, rounds), evaluator.scaling().fit(rows));
    }

    private io.meshfl.training.model.ModelWeights train(ModelWeights initial, TabularData rows, int rounds) {
        io.meshfl.training.model.ModelWeights weights = ModelInputs.weights(initial);
        for (int round = 1; round <= rounds; round++) {
            weights = trainer.train(weights, rows, round);
        }
        return weights;
    }
}
