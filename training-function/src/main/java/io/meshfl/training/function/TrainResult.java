package io.meshfl.training.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a training trigger did.
 *
 * @param updateKey where the domain's update for the round is
 * @param etag the update object's ETag
 * @param trained false when the update already existed and nothing was trained again
 * @param numExamples training rows (absent when nothing was trained)
 * @param globalMetrics the round's global model on the hold-out rows (absent when nothing was trained)
 * @param localMetrics the trained model on the same rows (absent when nothing was trained)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainResult(String model, int round, String domain, String updateKey, String etag, boolean trained,
        Integer numExamples, Map<String, Double> globalMetrics, Map<String, Double> localMetrics) {

    static TrainResult existing(String model, int round, String domain, String updateKey, String etag) {
        return new TrainResult(model, round, domain, updateKey, etag, false, null, null, null);
    }
}
