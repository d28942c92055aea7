package io.meshfl.training.model;

import java.util.Arrays;

/**
 * One parameter's values, row-major. The array is not copied (models can be large): whoever builds a tensor hands
 * its values over and does not change them afterwards.
 */
public record NamedTensor(String name, long[] shape, float[] values) {

    public NamedTensor {
        long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (size != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " (" + size + " values) but " + values.length + " values");
        }
    }

    public TensorSpec spec() {
        return new TensorSpec(name, shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamedTensor tensor && name.equals(tensor.name) && Arrays.equals(shape, tensor.shape)
                && Arrays.equals(values, tensor.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
