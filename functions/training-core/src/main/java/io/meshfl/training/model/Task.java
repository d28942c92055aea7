package io.meshfl.training.model;

/** What a model predicts: one of a fixed set of classes, or a real number. */
public enum Task {
    CLASSIFICATION,
    REGRESSION
}
