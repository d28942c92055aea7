package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One side of a split model at one point of training: its parameters (layer order, flat), the optimiser's moments
 * (empty for SGD) and the number of steps taken. Stored as safetensors ({@code param.i}, {@code adam_m.i},
 * {@code adam_v.i}, F32) under a key that names the window it precedes, written once: the version of a party's state is
 * the window, so a step can only ever be applied to the one state it was computed from.
 */
public record ParameterState(List<float[]> parameters, List<float[]> firstMoments, List<float[]> secondMoments,
                             long steps) {

    public ParameterState {
        parameters = List.copyOf(parameters);
        firstMoments = List.copyOf(firstMoments);
        secondMoments = List.copyOf(secondMoments);
    }

    /** Writes this state under {@code key} unless a state is already there; true if this call wrote it. */
    public boolean writeOnce(ObjectStore store, String key) {
        Path file = WriteOnce.tempFile();
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        add(specs, values, "param", parameters);
        add(specs, values, "adam_m", firstMoments);
        add(specs, values, "adam_v", secondMoments);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, specs,
                Map.of("steps", Long.toString(steps), "format", "meshfl-vertical-state-v1"))) {
            for (Map.Entry<String, float[]> entry : values.entrySet()) {
                writer.writeFloats(entry.getKey(), entry.getValue());
            }
            writer.finish();
        } catch (IOException e) {
            WriteOnce.deleteQuietly(file);
            throw new UncheckedIOException("Could not write the state for '" + key + "'", e);
        }
        return WriteOnce.put(store, key, file);
    }

    public static ParameterState read(ObjectStore store, String key) {
        Path file = WriteOnce.download(store, key);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            long steps = Long.parseLong(reader.metadata().getOrDefault("steps", "0"));
            return new ParameterState(read(reader, "param"), read(reader, "adam_m"), read(reader, "adam_v"), steps);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the state '" + key + "'", e);
        } finally {
            WriteOnce.deleteQuietly(file);
        }
    }

    private static void add(List<TensorSpec> specs, Map<String, float[]> values, String prefix, List<float[]> arrays) {
        for (int i = 0; i < arrays.size(); i++) {
            String name = prefix + "." + i;
            specs.add(TensorSpec.of(name, Dtype.F32, arrays.get(i).length));
            values.put(name, arrays.get(i));
        }
    }

    private static List<float[]> read(SafetensorsReader reader, String prefix) throws IOException {
        Set<String> names = reader.header().tensors().stream().map(TensorInfo::name).collect(Collectors.toSet());
        List<float[]> arrays = new ArrayList<>();
        for (int i = 0; names.contains(prefix + "." + i); i++) {
            arrays.add(reader.readFloats(prefix + "." + i));
        }
        return arrays;
    }
}
