package io.meshfl.training.model;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model is, small enough for the registry to store as JSON, e.g.
 * {@code {"template": "mlp", "inputs": 20, "hidden": [64, 32], "outputs": 2}}.
 *
 * <p>For the classifiers {@code outputs} is the number of classes (at least 2; binary tasks use two outputs and a
 * softmax, like PyTorch's {@code CrossEntropyLoss}); the regressor has exactly one output.
 *
 * <p>The layers are named as PyTorch names the state dict of {@code layers = nn.Sequential(...)} holding only the
 * linear layers: {@code layers.0.weight} (shape {@code [out, in]}), {@code layers.0.bias}, {@code layers.1.weight},
 * ... so a domain can train the same model in Python and exchange safetensors files.
 *
 * @param template the model family
 * @param inputs number of feature columns
 * @param hidden sizes of the hidden layers, input side first (empty for logistic regression)
 * @param outputs number of classes, or 1 for the regressor
 */
public record Architecture(Template template, int inputs, List<Integer> hidden, int outputs) {

    public Architecture {
        if (template == null) {
            throw new IllegalArgumentException("architecture needs a template");
        }
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        if (inputs < 1) {
            throw new IllegalArgumentException("architecture inputs must be at least 1, was " + inputs);
        }
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) < 1) {
                throw new IllegalArgumentException(
                        "architecture hidden[" + i + "] must be at least 1, was " + hidden.get(i));
            }
        }
        switch (template) {
            case LOGISTIC_REGRESSION -> {
                if (!hidden.isEmpty()) {
                    throw new IllegalArgumentException("logistic-regression has no hidden layers, got " + hidden);
                }
            }
            case MLP, MLP_REGRESSOR -> {
                if (hidden.isEmpty()) {
                    throw new IllegalArgumentException(template.id() + " needs at least one hidden layer");
                }
            }
        }
        if (template.task() == Task.CLASSIFICATION && outputs < 2) {
            throw new IllegalArgumentException(
                    template.id() + " outputs are its classes: at least 2 needed, was " + outputs);
        }
        if (template.task() == Task.REGRESSION && outputs != 1) {
            throw new IllegalArgumentException(template.id() + " predicts one label column: outputs must be 1, was "
                    + outputs);
        }
    }

    public static Architecture logisticRegression(int inputs, int classes) {
        return new Architecture(Template.LOGISTIC_REGRESSION, inputs, List.of(), classes);
    }

    public static Architecture mlp(int inputs, List<Integer> hidden, int classes) {
        return new Architecture(Template.MLP, inputs, hidden, classes);
    }

    public static Architecture mlpRegressor(int inputs, List<Integer> hidden) {
        return new Architecture(Template.MLP_REGRESSOR, inputs, hidden, 1);
    }

    public Task task() {
        return template.task();
    }

    /** Widths of the linear layers' outputs, input side first. */
    public List<Integer> layerWidths() {
        List<Integer> widths = new ArrayList<>(hidden);
        widths.add(outputs);
        return List.copyOf(widths);
    }

    /** Every parameter's name and shape (as F32, the dtype the model trains in), in the order weights are exchanged. */
    public List<TensorSpec> parameters() {
        List<TensorSpec> specs = new ArrayList<>();
        int in = inputs;
        List<Integer> widths = layerWidths();
        for (int layer = 0; layer < widths.size(); layer++) {
            int out = widths.get(layer);
            specs.add(TensorSpec.of(weightName(layer), Dtype.F32, out, in));
            specs.add(TensorSpec.of(biasName(layer), Dtype.F32, out));
            in = out;
        }
        return List.copyOf(specs);
    }

    /** {@link #parameters()} as a manifest: the layout of the weights this architecture produces. */
    public ModelManifest manifest() {
        return new ModelManifest(parameters());
    }

    /**
     * Checks {@code weights} fit this architecture: same names, same shapes, same order (a global model stored in
     * another floating-point dtype fits: it is read as floats).
     *
     * @throws IllegalArgumentException naming the first tensor that does not fit
     */
    public void requireFits(ModelWeights weights) {
        List<TensorSpec> expected = parameters();
        List<TensorSpec> actual = weights.manifest().tensors();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? describe(expected.get(i)) : null;
            String got = i < actual.size() ? describe(actual.get(i)) : null;
            if (want == null || !want.equals(got)) {
                throw new IllegalArgumentException("weights do not fit architecture " + template.id() + " " + inputs
                        + "->" + layerWidths() + ": tensor " + i + " expected " + (want == null ? "nothing" : want)
                        + ", got " + (got == null ? "nothing" : got));
            }
        }
    }

    private static String describe(TensorSpec tensor) {
        return tensor.name() + tensor.shape();
    }

    static String weightName(int layer) {
        return "layers." + layer + ".weight";
    }

    static String biasName(int layer) {
        return "layers." + layer + ".bias";
    }
}
