package io.meshfl.training.train;

import java.util.Locale;

/** The local optimisers a model's training configuration may name. */
public enum OptimizerKind {
    SGD,
    ADAM;

    public static OptimizerKind of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> SGD;
            case "adam" -> ADAM;
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd or adam");
        };
    }
}
