package io.meshfl.core.strategy;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A safetensors file seen as one flat vector in the order of a model manifest. Tensors are looked up by name, so
 * an update written by another tool with a different data order still lines up with the global model.
 *
 * <p>The vector holds the floating-point tensors only: integer tensors (I64 counters such as PyTorch's
 * {@code num_batches_tracked}) are no weights to average, and {@link IntegerTensors} carries them through.
 */
public final class FlatModelReader implements FlatWeights {

    private final SafetensorsReader reader;
    private final List<TensorSpec> tensors;
    private final long[] starts;
    private final long size;
    private final boolean holdsDoubles;

    /** {@code reader}'s file must hold every tensor of {@code manifest} (the validator checks this first). */
    public FlatModelReader(SafetensorsReader reader, ModelManifest manifest) {
        this.reader = reader;
        this.tensors = manifest.tensors().stream().filter(t -> t.dtype().isFloatingPoint()).toList();
        this.starts = new long[tensors.size()];
        long position = 0;
        for (int i = 0; i < tensors.size(); i++) {
            starts[i] = position;
            position += tensors.get(i).elementCount();
        }
        this.size = position;
        this.holdsDoubles = tensors.stream().anyMatch(t -> t.dtype() == Dtype.F64);
    }

    /** The file in its own data order. */
    public static FlatModelReader of(SafetensorsReader reader) {
        return new FlatModelReader(reader, reader.manifest());
    }

    @Override
    public int maxBlock() {
        return reader.maxBlockValues();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean holdsDoubles() {
        return holdsDoubles;
    }

    @Override
    public void read(long from, float[] target, int offset, int length) throws IOException {
        walk(from, length, (name, within, at, count) -> reader.readFloats(name, within, target, offset + at, count));
    }

    @Override
    public void readDoubles(long from, double[] target, int offset, int length) throws IOException {
        walk(from, length, (name, within, at, count) -> reader.readDoubles(name, within, target, offset + at, count));
    }

    private interface Chunk {
        void read(String tensor, long within, int done, int count) throws IOException;
    }

    private void walk(long from, int length, Chunk chunk) throws IOException {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("[" + from + ", " + (from + length) + ") outside a model of " + size);
        }
        int index = Arrays.binarySearch(starts, from);
        index = index >= 0 ? index : -index - 2;
        long position = from;
        int done = 0;
        while (done < length) {
            TensorSpec tensor = tensors.get(index);
            long within = position - starts[index];
            if (within >= tensor.elementCount()) { // empty tensors share their start with the next one
                index++;
                continue;
            }
            int count = (int) Math.min(length - done, tensor.elementCount() - within);
            chunk.read(tensor.name(), within, done, count);
            position += count;
            done += count;
            index++;
        }
    }
}
