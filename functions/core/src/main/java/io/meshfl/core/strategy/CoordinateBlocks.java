package io.meshfl.core.strategy;

import java.io.IOException;
import java.util.List;

/**
 * Walks the model in blocks, reading all K updates' values of each block: what coordinate-wise robust strategies
 * need. Memory is K × block floats per core.
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
        ParallelBlocks.run(size, Blocks.atMost(Blocks.SIZE, updates), () -> new Workspace(updates.size()),
                (workspace, from, length) -> workspace.reduce(updates, reducer, from, length),
                (workspace, from, length) -> out.write(workspace.result, 0, length));
    }

    /** One core's buffers: every update's block, one cache line of columns, and the block's result. */
    private static final class Workspace {
        final float[][] rows;
        final float[][] columns;
        final float[] result = new float[Blocks.SIZE];

        Workspace(int count) {
            rows = new float[count][Blocks.SIZE];
            columns = new float[TRANSPOSE][count];
        }

        void reduce(List<ClientUpdate> updates, ColumnReducer reducer, long from, int length) throws IOException {
            int count = updates.size();
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
        }
    }
}
