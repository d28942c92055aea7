package io.meshfl.vertical.step;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Which aligned positions each batch window of a round trains on. Every party derives the same plan from the same
 * inputs (the training positions of the common pseudonym order, the batch size and the seed), so no party has to send
 * another the batch: a window names positions, never entities. Each round visits every training position once, in an
 * order shuffled by round.
 */
public final class WindowPlan {

    private final int[] trainPositions;
    private final int batchSize;
    private final long seed;

    public WindowPlan(int[] trainPositions, int batchSize, long seed) {
        if (trainPositions.length == 0) {
            throw new IllegalArgumentException("A window plan needs at least one training position");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("The batch size must be at least 1, got " + batchSize);
        }
        this.trainPositions = trainPositions.clone();
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int windows() {
        return (trainPositions.length + batchSize - 1) / batchSize;
    }

    /** The aligned positions of window {@code window} of round {@code round}. */
    public int[] positions(int round, int window) {
        if (window < 0 || window >= windows()) {
            throw new IllegalArgumentException("Windows are 0.." + (windows() - 1) + ", got " + window);
        }
        int[] order = trainPositions.clone();
        Random random = new Random(seed * 1_000_003L + round);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int from = window * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] slice = new int[to - from];
        System.arraycopy(order, from, slice, 0, slice.length);
        return slice;
    }

    /**
     * A digest of the window's entities (their pseudonyms in window order): every party puts it on what it writes, so
     * the head notices, before it steps, a party whose alignment or plan differs, instead of mixing up rows.
     */
    public static String batchDigest(List<String> pseudonyms, int[] positions) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int position : positions) {
                sha.update(pseudonyms.get(position).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
