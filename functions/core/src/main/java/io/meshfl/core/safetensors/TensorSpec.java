package io.meshfl.core.safetensors;

import java.util.List;
import java.util.Objects;

/** What a tensor is, independently of where it lies in a file: name, element type and shape. */
public record TensorSpec(String name, Dtype dtype, List<Long> shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        if (name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        }
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in " + shape);
            }
        }
        elementCount(shape, name); // rejects shapes whose size overflows a long
    }

    public static TensorSpec of(String name, Dtype dtype, long... shape) {
        return new TensorSpec(name, dtype, java.util.Arrays.stream(shape).boxed().toList());
    }

    /** Number of elements (1 for a scalar of shape []). */
    public long elementCount() {
        return elementCount(shape, name);
    }

    /** Size of the tensor's data in bytes. */
    public long byteSize() {
        return Math.multiplyExact(elementCount(), dtype.byteSize());
    }

    private static long elementCount(List<Long> shape, String name) {
        try {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            Math.multiplyExact(count, 8L);
            return count;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "' shape " + shape + " is too large");
        }
    }
}
