package io.meshfl.training.dataproduct;

import java.util.Arrays;
import java.util.SplittableRandom;

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
        if (!(holdOutFraction > 0 && holdOutFraction < 1)) {
            throw new IllegalArgumentException("hold-out fraction must be in (0, 1), was " + holdOutFraction);
        }
        int rows = data.rows();
        if (rows < 2) {
            throw new DataProductException("the data product has " + rows
                    + " row; training and evaluation need at least 2");
        }
        int[] order = new int[rows];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(round);
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int holdOutRows = (int) Math.min(rows - 1, Math.max(1, Math.round(rows * holdOutFraction)));
        int[] holdOut = Arrays.copyOfRange(order, 0, holdOutRows);
        int[] train = Arrays.copyOfRange(order, holdOutRows, rows);
        // Keep each side in the file's order: the shuffle decides membership, the trainer decides batch order.
        Arrays.sort(holdOut);
        Arrays.sort(train);
        return new HoldOutSplit(data.select(train), data.select(holdOut));
    }
}
