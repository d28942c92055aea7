package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a model is made of: its tensors (name, dtype, shape) in parameter order, the order of the global model's
 * data section. Every update of a round must match its global model's manifest; strategies see the model as
 * one flat vector of {@link #parameterCount()} values in this order.
 */
public record ModelManifest(List<TensorSpec> tensors) {

    public ModelManifest {
        tensors = List.copyOf(tensors);
        Set<String> names = new HashSet<>();
        for (TensorSpec tensor : tensors) {
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' is listed twice");
            }
        }
    }

    public static ModelManifest of(SafetensorsHeader header) {
        return new ModelManifest(header.tensors().stream().map(TensorInfo::spec).toList());
    }

    /** The manifest of the safetensors file at {@code file} (reads only its header). */
    public static ModelManifest read(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.manifest();
        }
    }

    public List<String> names() {
        return tensors.stream().map(TensorSpec::name).toList();
    }

    public Optional<TensorSpec> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Total number of elements over all tensors. */
    public long parameterCount() {
        long count = 0;
        for (TensorSpec tensor : tensors) {
            count = Math.addExact(count, tensor.elementCount());
        }
        return count;
    }

    /** The same tensors, all stored as {@code dtype} (a global model kept as F32 from a BF16 checkpoint, say). */
    public ModelManifest withDtype(Dtype dtype) {
        return new ModelManifest(tensors.stream().map(t -> new TensorSpec(t.name(), dtype, t.shape())).toList());
    }
}
