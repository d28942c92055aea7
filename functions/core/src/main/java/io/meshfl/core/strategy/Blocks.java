package io.meshfl.core.strategy;

/**
 * Strategies walk the model in blocks of coordinates, reading every update's block in turn: memory stays at
 * O(K · block) whatever the model size, and the block's accumulator stays in cache while K updates fold into it.
 */
final class Blocks {

    /** 16 Ki values: 64 KiB per update block, 128 KiB of double accumulator. */
    static final int SIZE = 1 << 14;

    private Blocks() {
    }

    static int length(long from, long size) {
        return (int) Math.min(SIZE, size - from);
    }
}
