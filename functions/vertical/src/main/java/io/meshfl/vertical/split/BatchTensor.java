package io.meshfl.vertical.split;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One vector per row of a batch, row-major, as the parties of a split model exchange it: a bottom model's embeddings
 * (party → head) or the loss gradient with respect to them (head → party). On the wire it is a safetensors file with
 * one F32 tensor of shape [rows, width], readable by any safetensors implementation; F32 round-trips exactly.
 */
public record BatchTensor(String name, int rows, int width, float[] values) {

    public BatchTensor {
        if (rows < 1 || width < 1 || values.length != (long) rows * width) {
            throw new IllegalArgumentException("A batch tensor of " + rows + " rows of width " + width + " needs "
                    + (long) rows * width + " values, got " + values.length);
        }
    }

    /** Writes the tensor under {@link #name} with {@code metadata} (the caller adds signatures and provenance). */
    public String write(Path file, Map<String, String> metadata) throws IOException {
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                List.of(TensorSpec.of(name, Dtype.F32, rows, width)), metadata)) {
            writer.writeFloats(name, values);
            return writer.finish();
        }
    }

    /**
     * Reads tensor {@code name}, which must be two-dimensional.
     *
     * @throws IllegalArgumentException naming the file if the tensor is missing or not [rows, width]
     */
    public static BatchTensor read(Path file, String name) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            List<Long> shape;
            try {
                shape = reader.tensor(name).spec().shape();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + file + "' has no tensor '" + name + "'", e);
            }
            if (shape.size() != 2) {
                throw new IllegalArgumentException("'" + file + "': tensor '" + name + "' has shape " + shape
                        + ", a batch tensor is [rows, width]");
            }
            return new BatchTensor(name, Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1)),
                    reader.readFloats(name));
        }
    }
}
