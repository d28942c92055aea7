package io.meshfl.training.model;

import java.util.Arrays;

/** A parameter's name and shape, as the architecture defines it. */
public record TensorSpec(String name, long[] shape) {

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long size() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec spec && name.equals(spec.name) && Arrays.equals(shape, spec.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
