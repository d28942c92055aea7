package io.meshfl.core.strategy;

/** Weights already in one array: small models, tests, and the values a training loop just produced. */
public record InMemoryWeights(float[] values) implements FlatWeights {

    @Override
    public long size() {
        return values.length;
    }

    @Override
    public void read(long from, float[] target, int offset, int length) {
        System.arraycopy(values, Math.toIntExact(from), target, offset, length);
    }
}
