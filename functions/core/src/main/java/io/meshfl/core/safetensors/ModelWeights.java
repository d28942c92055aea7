package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole model in memory: one {@code float[]} per tensor, in manifest (parameter) order. For what trains on one
 * machine (a domain's model); aggregation streams instead and never holds K of these.
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
