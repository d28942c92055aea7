package io.meshfl.core.strategy;

import java.io.IOException;

/** Where a strategy writes the new global model: flat values in manifest order, in consecutive chunks. */
public interface FlatSink {

    void write(float[] source, int offset, int length) throws IOException;

    /** {@link #write} from double values: a sink backed by F64 tensors keeps them exactly; others round to float. */
    default void writeDoubles(double[] source, int offset, int length) throws IOException {
        float[] floats = new float[length];
        for (int i = 0; i < length; i++) {
            floats[i] = (float) source[offset + i];
        }
        write(floats, 0, length);
    }
}
