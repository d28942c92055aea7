package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.List;

/**
 * Walks the model in blocks, reading all K updates' values of each block: what coordinate-wise robust strategies
 * need. Memory is K × block floats.
 */
final class CoordinateBlocks {

    interface ColumnReducer {
        /** Reduces the {@code count} values one coordinate takes (order not significant; may be rearranged). */
        double reduce(float[] column, int count);
    }

    /** Coordinates transposed together: one 64-byte cache line of floats. */
    private static final int TRANSPOSE = 16;

    private CoordinateBlocks() {
    }

    static void reduce(List<ClientUpdate> updates, long size, FlatSink out, ColumnReducer reducer) throws IOException {
        int count = updates.size();
        float[][] rows = new float[count][Blocks.SIZE];
        float[][] columns = new float[TRANSPOSE][count];
        float[] result = new float[Blocks.SIZE];
        for (long from = 0; from < size; from += Blocks.SIZE) {
            int length = Blocks.length(from, size);
            for (int k = 0; k < count; k++) {
                updates.get(k).weights().read(from, rows[k], 0, length);
            }
            // Transpose a cache line of every row at a time: reading rows[k][c] for one c and all k would touch K
            // cache lines per coordinate.
            for (int c0 = 0; c0 < length; c0 += TRANSPOSE) {
                int width = Math.min(TRANSPOSE, length - c0);
                for (int k = 0; k < count; k++) {
                    float[] row = rows[k];
                    for (int j = 0; j < width; j++) {
                        columns[j][k] = row[c0 + j];
                    }
                }
                for (int j = 0; j < width; j++) {
                    result[c0 + j] = (float) reducer.reduce(columns[j], count);
                }
            }
            out.write(result, 0, length);
        }
    }
}
