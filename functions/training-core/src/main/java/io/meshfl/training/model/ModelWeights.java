package io.meshfl.training.model;

import java.util.ArrayList;
import java.util.List;

/** A model's parameters in the architecture's order. */
public record ModelWeights(List<NamedTensor> tensors) {

    public ModelWeights {
        tensors = List.copyOf(tensors);
    }

    public List<TensorSpec> specs() {
        return tensors.stream().map(NamedTensor::spec).toList();
    }

    /**
     * Checks these weights fit {@code architecture}: same names, same shapes, same order.
     *
     * @throws IllegalArgumentException naming the first tensor that does not fit
     */
    public void requireFits(Architecture architecture) {
        List<TensorSpec> expected = architecture.parameters();
        List<TensorSpec> actual = specs();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            TensorSpec want = i < expected.size() ? expected.get(i) : null;
            TensorSpec got = i < actual.size() ? actual.get(i) : null;
            if (want == null || !want.equals(got)) {
                throw new IllegalArgumentException("weights do not fit architecture " + architecture.template().id()
                        + " " + architecture.inputs() + "->" + architecture.layerWidths() + ": tensor " + i
                        + " expected " + (want == null ? "nothing" : want) + ", got "
                        + (got == null ? "nothing" : got));
            }
        }
    }

    /** Euclidean distance between these weights and {@code other} of the same shapes, over all parameters. */
    public double distanceTo(ModelWeights other) {
        requireSameSpecs(other);
        double sum = 0;
        for (int t = 0; t < tensors.size(); t++) {
            float[] a = tensors.get(t).values();
            float[] b = other.tensors.get(t).values();
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - b[i];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** {@code base + scale * (this - base)}, tensor by tensor: how an update is shrunk towards its base. */
    public ModelWeights towards(ModelWeights base, double scale) {
        requireSameSpecs(base);
        List<NamedTensor> scaled = new ArrayList<>(tensors.size());
        for (int t = 0; t < tensors.size(); t++) {
            NamedTensor tensor = tensors.get(t);
            float[] a = tensor.values();
            float[] b = base.tensors.get(t).values();
            float[] result = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                result[i] = (float) (b[i] + scale * ((double) a[i] - b[i]));
            }
            scaled.add(new NamedTensor(tensor.name(), tensor.shape(), result));
        }
        return new ModelWeights(scaled);
    }

    private void requireSameSpecs(ModelWeights other) {
        if (!specs().equals(other.specs())) {
            throw new IllegalArgumentException("weights differ in names or shapes: " + specs() + " vs "
                    + other.specs());
        }
    }
}
