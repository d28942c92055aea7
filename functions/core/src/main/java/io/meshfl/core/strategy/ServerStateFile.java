package io.meshfl.core.strategy;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Persists a {@link ServerState} as safetensors: vectors as F32 tensors, scalars in {@code __metadata__}. */
public final class ServerStateFile {

    private ServerStateFile() {
    }

    public static String write(Path file, ServerState state) throws IOException {
        List<TensorSpec> layout = state.vectors().entrySet().stream()
                .map(e -> TensorSpec.of(e.getKey(), Dtype.F32, e.getValue().length)).toList();
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, state.values())) {
            for (Map.Entry<String, float[]> vector : state.vectors().entrySet()) {
                writer.writeFloats(vector.getKey(), vector.getValue());
            }
            return writer.finish();
        }
    }

    public static ServerState read(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            Map<String, float[]> vectors = new LinkedHashMap<>();
            for (TensorSpec tensor : reader.manifest().tensors()) {
                vectors.put(tensor.name(), reader.readFloats(tensor.name()));
            }
            return new ServerState(reader.metadata(), vectors);
        }
    }
}
