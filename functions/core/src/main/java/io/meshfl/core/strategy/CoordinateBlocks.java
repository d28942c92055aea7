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

    private CoordinateBlocks() {
    }

    static void reduce(List<ClientUpdate> updates, long size, FlatSink out, ColumnReducer reducer) throws IOException {
        int count = updates.size();
        float[][] rows = new float[count][Blocks.SIZE];
        float[] column = new float[count];
        float[] result = new float[Blocks.SIZE];
        for (long from = 0; from < size; from += Blocks.SIZE) {
            int length = Blocks.length(from, size);
            for (int k = 0; k < count; k++) {
                updates.get(k).weights().read(from, rows[k], 0, length);
            }
            for (int c = 0; c < length; c++) {
                for (int k = 0; k < count; k++) {
                    column[k] = rows[k][c];
                }
                result[c] = (float) reducer.reduce(column, count);
            }
            out.write(result, 0, length);
        }
    }
}
