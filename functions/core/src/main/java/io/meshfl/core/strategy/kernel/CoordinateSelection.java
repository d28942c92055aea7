package io.meshfl.core.strategy.kernel;

/**
 * Order statistics of the K values one coordinate takes across K updates: median and trimmed mean, by
 * quickselect (expected O(K)), rearranging the given scratch array.
 */
public final class CoordinateSelection {

    private CoordinateSelection() {
    }

    /** Median of {@code values[0, count)}; the mean of the two middle values when {@code count} is even. */
    public static double median(float[] values, int count) {
        int middle = count / 2;
        select(values, 0, count, middle);
        if (count % 2 == 1) {
            return values[middle];
        }
        float below = values[0];
        for (int i = 1; i < middle; i++) { // after selection the lower half holds the smaller values
            below = Math.max(below, values[i]);
        }
        return ((double) below + values[middle]) / 2;
    }

    /** Mean of {@code values[0, count)} without its {@code cut} smallest and {@code cut} largest values. */
    public static double trimmedMean(float[] values, int count, int cut) {
        if (2 * cut >= count) {
            throw new IllegalArgumentException("cannot trim " + cut + " from each end of " + count + " values");
        }
        if (cut > 0) {
            select(values, 0, count, cut);
            select(values, cut + 1, count, count - cut - 1);
        }
        double sum = 0;
        for (int i = cut; i < count - cut; i++) {
            sum += values[i];
        }
        return sum / (count - 2 * cut);
    }

    /**
     * Rearranges {@code values[from, to)} so that {@code values[k]} is the value of rank {@code k}, with no larger
     * value before it and no smaller value after it (Hoare's selection, median-of-three pivot).
     */
    static void select(float[] values, int from, int to, int k) {
        int low = from;
        int high = to - 1;
        while (high > low) {
            int middle = (low + high) >>> 1;
            if (values[middle] < values[low]) {
                swap(values, middle, low);
            }
            if (values[high] < values[low]) {
                swap(values, high, low);
            }
            if (values[high] < values[middle]) {
                swap(values, high, middle);
            }
            float pivot = values[middle];
            int i = low;
            int j = high;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(values, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                high = j;
            } else if (k >= i) {
                low = i;
            } else {
                return;
            }
        }
    }

    private static void swap(float[] values, int a, int b) {
        float t = values[a];
        values[a] = values[b];
        values[b] = t;
    }
}
