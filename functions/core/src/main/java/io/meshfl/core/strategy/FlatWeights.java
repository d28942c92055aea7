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
}
