package io.meshfl.training.dataproduct;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Splits rows into training and hold-out rows, the same way every time for the same round and rows: a retried
 * invocation trains and evaluates on exactly the rows the first one did.
 */
public record HoldOutSplit(TabularData train, TabularData holdOut) {

    /**
     * @param holdOutFraction share of rows held out, in (0, 1); at least one row goes to each side
     * @param round seeds the shuffle
     */
    public static HoldOutSplit of(TabularData data, double holdOutFraction, long round) {
        Rows.requireFraction(holdOutFraction);
        int rows = data.rows();
        if (rows < 2) {
            throw new DataProductException("the data product has " + rows
                    + " row; training and evaluation need at least 2");
        }
        int[] order = new int[rows];
        Arrays.setAll(order, i -> i);
        Rows split = Rows.of(order, holdOutFraction, new SplittableRandom(round));
        return new HoldOutSplit(data.select(split.train()), data.select(split.holdOut()));
    }

    /**
     * Which of {@code rows} go to each side, each side in ascending order: the one shuffle behind every hold-out
     * split (the training recipe's above, and the local mesh's split of a dataset into what a domain publishes and
     * what it keeps for the demo's test set, which seeds a {@link java.util.Random} of its own).
     */
    public record Rows(int[] train, int[] holdOut) {

        /**
         * Shuffles {@code rows} (Fisher–Yates with {@code random}) and holds out {@code round(fraction · n)} of them,
         * at least one and at most n − 1 when there are two or more.
         *
         * @throws IllegalArgumentException if {@code holdOutFraction} is not strictly between 0 and 1
         */
        public static Rows of(int[] rows, double holdOutFraction, RandomGenerator random) {
            requireFraction(holdOutFraction);
            int[] shuffled = rows.clone();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = swap;
            }
            int holdOutRows = (int) Math.round(shuffled.length * holdOutFraction);
            if (shuffled.length >= 2) {
                holdOutRows = Math.min(shuffled.length - 1, Math.max(1, holdOutRows));
            }
            int[] holdOut = Arrays.copyOfRange(shuffled, 0, holdOutRows);
            int[] train = Arrays.copyOfRange(shuffled, holdOutRows, shuffled.length);
            // Keep each side in the input's order: the shuffle decides membership, the trainer decides batch order.
            Arrays.sort(holdOut);
            Arrays.sort(train);
            return new Rows(train, holdOut);
        }

        static void requireFraction(double holdOutFraction) {
            if (!(holdOutFraction > 0 && holdOutFraction < 1)) {
                throw new IllegalArgumentException("hold-out fraction must be in (0, 1), was " + holdOutFraction);
            }
        }
    }
}
