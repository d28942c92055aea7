package io.meshfl.core.strategy;

import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.util.List;

/**
 * Feeds consecutive flat chunks into a safetensors writer, floating-point tensor after floating-point tensor in
 * its layout order. Integer tensors are not part of the flat vector (see {@link FlatModelReader}); whoever runs the
 * strategy writes them ({@link IntegerTensors}).
 */
public final class FlatModelWriter implements FlatSink {

    private interface Chunk {
        void write(String tensor, long fromElement, int sourceOffset, int count) throws IOException;
    }

    private final SafetensorsWriter writer;
    private final List<TensorSpec> tensors;
    private int tensor;
    private long within;

    public FlatModelWriter(SafetensorsWriter writer) {
        this.writer = writer;
        this.tensors = writer.tensors().stream().filter(t -> t.dtype().isFloatingPoint()).toList();
    }

    @Override
    public void write(float[] source, int offset, int length) throws IOException {
        walk(offset, length, (name, from, at, count) -> writer.writeFloats(name, from, source, at, count));
    }

    @Override
    public void writeDoubles(double[] source, int offset, int length) throws IOException {
        walk(offset, length, (name, from, at, count) -> writer.writeDoubles(name, from, source, at, count));
    }

    private void walk(int offset, int length, Chunk chunk) throws IOException {
        int done = 0;
        while (done < length) {
            if (tensor >= tensors.size()) {
                throw new IllegalStateException("more values than the model's tensors hold");
            }
            TensorSpec spec = tensors.get(tensor);
            int count = (int) Math.min(length - done, spec.elementCount() - within);
            if (count > 0) {
                chunk.write(spec.name(), within, offset + done, count);
                within += count;
                done += count;
            }
            if (within == spec.elementCount()) {
                tensor++;
                within = 0;
            }
        }
    }
}
