package io.meshfl.training.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The model families a federation can train on tabular data products. */
public enum Template {
    /** One linear layer and a softmax over the classes. */
    LOGISTIC_REGRESSION("logistic-regression", Task.CLASSIFICATION),
    /** Linear layers with ReLU between them and a softmax over the classes. */
    MLP("mlp", Task.CLASSIFICATION),
    /** Linear layers with ReLU between them and one real-valued output. */
    MLP_REGRESSOR("mlp-regressor", Task.REGRESSION);

    private final String id;
    private final Task task;

    Template(String id, Task task) {
        this.id = id;
        this.task = task;
    }

    /** The name in an architecture's JSON, e.g. {@code "mlp"}. */
    @JsonValue
    public String id() {
        return id;
    }

    public Task task() {
        return task;
    }

    @JsonCreator
    public static Template of(String id) {
        for (Template template : values()) {
            if (template.id.equals(id)) {
                return template;
            }
        }
        throw new IllegalArgumentException("unknown model template '" + id + "'; known templates: "
                + Arrays.stream(values()).map(Template::id).collect(Collectors.joining(", ")));
    }
}
