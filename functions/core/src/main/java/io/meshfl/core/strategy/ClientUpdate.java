package io.meshfl.core.strategy;

import java.util.Objects;

/** One accepted update of a round: who sent it, how many examples it was trained on, and its weights. */
public record ClientUpdate(String id, long numExamples, FlatWeights weights) {

    public ClientUpdate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(weights, "weights");
        if (numExamples <= 0) {
            throw new IllegalArgumentException("update '" + id + "' has " + numExamples + " examples");
        }
    }
}
