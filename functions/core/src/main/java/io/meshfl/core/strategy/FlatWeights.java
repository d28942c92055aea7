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
     * The most values one read should ask for: a streamed update buffers only a few blocks of this size per lane,
     * so strategies walk the model in blocks no larger than this.
     */
    default int maxBlock() {
        return Integer.MAX_VALUE;
    }
}
