package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A whole model in memory: one {@code float[]} per tensor, in manifest (parameter) order. For what trains on one
 * machine (a domain's model, the training core's models); aggregation streams instead and never holds K of these.
 * The arrays are not copied (models can be large): whoever builds weights hands its arrays over and does not change
 * them afterwards. Two weights are equal when their manifests and every value are.
 */
public record ModelWeights(ModelManifest manifest, List<float[]> values) {

    public ModelWeights {
        values = List.copyOf(values);
        if (values.size() != manifest.tensors().size()) {
            throw new IllegalArgumentException(values.size() + " arrays for " + manifest.tensors().size() + " tensors");
        }
        for (int i = 0; i < values.size(); i++) {
            TensorSpec tensor = manifest.tensors().get(i);
            if (values.get(i).length != tensor.elementCount()) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' needs " + tensor.elementCount()
                        + " values, got " + values.get(i).length);
            }
        }
    }

    /** Reads every floating-point tensor of {@code file}, converted to float, in the file's data order. */
    public static ModelWeights read(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            ModelManifest manifest = reader.manifest();
            List<float[]> values = new ArrayList<>();
            for (TensorSpec tensor : manifest.tensors()) {
                if (!tensor.dtype().isFloatingPoint()) {
                    throw new SafetensorsFormatException(file + ": tensor '" + tensor.name() + "' is "
                            + tensor.dtype() + ", not a weight");
                }
                values.add(reader.readFloats(tensor.name()));
            }
            return new ModelWeights(manifest, values);
        }
    }

    public float[] tensor(String name) {
        List<String> names = manifest.names();
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return values.get(index);
    }

    /**
     * Euclidean distance between these weights and {@code other}, over all parameters.
     *
     * @throws IllegalArgumentException if the two differ in tensor names or shapes
     */
    public double distanceTo(ModelWeights other) {
        requireSameLayout(other);
        double sum = 0;
        for (int t = 0; t < values.size(); t++) {
            float[] a = values.get(t);
            float[] b = other.values.get(t);
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - b[i];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * {@code base + scale * (this - base)}, tensor by tensor, with this manifest: how an update is shrunk towards
     * its base (or, with a negative scale, turned against it).
     *
     * @throws IllegalArgumentException if the two differ in tensor names or shapes
     */
    public ModelWeights towards(ModelWeights base, double scale) {
        requireSameLayout(base);
        List<float[]> scaled = new ArrayList<>(values.size());
        for (int t = 0; t < values.size(); t++) {
            float[] a = values.get(t);
            float[] b = base.values.get(t);
            float[] result = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                result[i] = (float) (b[i] + scale * ((double) a[i] - b[i]));
            }
            scaled.add(result);
        }
        return new ModelWeights(manifest, scaled);
    }

    /** Names and shapes, in order: what two weights must share to be compared or combined (dtypes may differ). */
    private static List<String> layout(ModelManifest manifest) {
        return manifest.tensors().stream().map(t -> t.name() + t.shape()).toList();
    }

    private void requireSameLayout(ModelWeights other) {
        if (!layout(manifest).equals(layout(other.manifest))) {
            throw new IllegalArgumentException("weights differ in names or shapes: " + layout(manifest) + " vs "
                    + layout(other.manifest));
        }
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ModelWeights weights) || !manifest.equals(weights.manifest)) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!Arrays.equals(values.get(i), weights.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = manifest.hashCode();
        for (float[] tensor : values) {
            hash = 31 * hash + Arrays.hashCode(tensor);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "ModelWeights" + layout(manifest);
    }

    /** Writes the weights (each tensor in its manifest dtype) with {@code metadata}; returns the data's SHA-256. */
    public String write(Path file, Map<String, String> metadata) throws IOException {
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, manifest.tensors(), metadata)) {
            writeInto(writer);
            return writer.finish();
        }
    }

    /** Writes every tensor into a writer laid out with this manifest. */
    public void writeInto(SafetensorsWriter writer) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            writer.writeFloats(manifest.tensors().get(i).name(), values.get(i));
        }
    }
}
