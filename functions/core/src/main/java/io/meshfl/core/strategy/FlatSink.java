package io.meshfl.core.strategy;

import java.io.IOException;

/** Where a strategy writes the new global model: flat values in manifest order, in consecutive chunks. */
public interface FlatSink {

    void write(float[] source, int offset, int length) throws IOException;
}
