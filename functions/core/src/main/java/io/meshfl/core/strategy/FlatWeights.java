package io.meshfl.core.strategy;

import java.io.IOException;

/**
 * A model-shaped vector seen flat: {@link #size()} values in manifest order, read in chunks. Strategies only ever
 * see weights through this, so a 10 GB model costs them a chunk of memory, not 10 GB.
 */
public interface FlatWeights {

    long size();

    /** Reads values {@code [from, from + length)} into {@code target[offset …]}. */
    void read(long from, float[] target, int offset, int length) throws IOException;

    /**
     * Whether some values are stored more precisely than float (F64 tensors): then the FedAvg family reads them
     * with {@link #readDoubles} so that aggregation keeps their precision.
     */
    default boolean holdsDoubles() {
        return false;
    }

    /** {@link #read}, as doubles: exact for F64 tensors when {@link #holdsDoubles()}. */
    default void readDoubles(long from, double[] target, int offset, int length) throws IOException {
        float[] floats = new float[length];
        read(from, floats, 0, length);
        for (int i = 0; i < length; i++) {
            target[offset + i] = floats[i];
        }
    }

    /**
     * The most values one read should ask for: a streamed update buffers only a few blocks of this size per lane,
     * so strategies walk the model in blocks no larger than this.
     */
    default int maxBlock() {
        return Integer.MAX_VALUE;
    }
}
