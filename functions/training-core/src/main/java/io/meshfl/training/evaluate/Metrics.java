package io.meshfl.training.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's quality on hold-out rows. Classifiers have accuracy (and AUC when binary, if both classes occur);
 * the regressor has RMSE. The loss is the mean cross-entropy, or the mean squared error.
 */
public record Metrics(int examples, double loss, Double accuracy, Double auc, Double rmse) {

    /** The metrics that apply, by the names the registry uses ({@code loss, accuracy, auc, rmse}). */
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss);
        if (accuracy != null) {
            values.put("accuracy", accuracy);
        }
        if (auc != null) {
            values.put("auc", auc);
        }
        if (rmse != null) {
            values.put("rmse", rmse);
        }
        return values;
    }
}
