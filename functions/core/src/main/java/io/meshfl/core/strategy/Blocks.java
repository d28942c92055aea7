package io.meshfl.core.strategy;

import java.util.List;

/**
 * Strategies walk the model in blocks of coordinates, reading every update's block in turn: memory stays at
 * O(K · block) whatever the model size, and the block's accumulator stays in cache while K updates fold into it.
 */
final class Blocks {

    /**
     * Coordinate-wise strategies hold every update's block at once: 16 Ki values, 64 KiB per update, so K = 100
     * updates need 6.4 MiB per core.
     */
    static final int SIZE = 1 << 14;

    /**
     * The FedAvg family holds one double accumulator and four chunks: 128 Ki values, 1 MiB + 2 MiB per core. Large
     * blocks amortise handing work to the other core and the page faults of mapped files (measured with
     * {@code bench/run.sh}: 2^17 beat 2^14–2^16 at K = 10 and K = 100).
     */
    static final int STREAMING = 1 << 17;

    private Blocks() {
    }

    /** The FedAvg family's block for a model of {@code size} coordinates: no larger than the model itself. */
    static int streaming(long size) {
        return (int) Math.max(1, Math.min(STREAMING, size));
    }

    /** {@code preferred}, or less if a reader (a streamed update) asks for smaller blocks. */
    static int atMost(int preferred, List<ClientUpdate> updates) {
        int block = preferred;
        for (ClientUpdate update : updates) {
            block = Math.min(block, update.weights().maxBlock());
        }
        return Math.max(1, block);
    }

    static int length(long from, long size) {
        return length(from, size, SIZE);
    }

    static int length(long from, long size, int block) {
        return (int) Math.min(block, size - from);
    }
}
