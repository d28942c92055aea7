package io.meshfl.core.strategy;

import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.util.List;

/** Feeds consecutive flat chunks into a safetensors writer, tensor after tensor in its layout order. */
public final class FlatModelWriter implements FlatSink {

    private final SafetensorsWriter writer;
    private final List<TensorSpec> tensors;
    private int tensor;
    private long within;

    public FlatModelWriter(SafetensorsWriter writer) {
        this.writer = writer;
        this.tensors = writer.tensors();
    }

    @Override
    public void write(float[] source, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (tensor >= tensors.size()) {
                throw new IllegalStateException("more values than the model's tensors hold");
            }
            TensorSpec spec = tensors.get(tensor);
            int count = (int) Math.min(length - done, spec.elementCount() - within);
            if (count > 0) {
                writer.writeFloats(spec.name(), within, source, offset + done, count);
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
