package io.meshfl.mesh.dataset;

import java.util.Arrays;
import java.util.Random;

/**
 * A seeded split of one domain's rows into the part it publishes as its data product and a hold-out part kept
 * for evaluation only. Every accuracy the demo reports is measured on the union of the domains' hold-out parts.
 */
public record HoldOutSplit(int[] training, int[] holdOut) {

    /** Puts {@code Math.round(fraction · n)} of the rows (at least one, if there are two or more) in the hold-out. */
    public static HoldOutSplit of(int[] rows, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new DatasetException("The hold-out fraction must lie strictly between 0 and 1, was " + fraction);
        }
        int[] shuffled = rows.clone();
        Random random = new Random(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        int holdOutSize = (int) Math.round(fraction * shuffled.length);
        if (shuffled.length >= 2) {
            holdOutSize = Math.max(1, Math.min(shuffled.length - 1, holdOutSize));
        }
        int[] holdOut = Arrays.copyOfRange(shuffled, 0, holdOutSize);
        int[] training = Arrays.copyOfRange(shuffled, holdOutSize, shuffled.length);
        Arrays.sort(holdOut);
        Arrays.sort(training);
        return new HoldOutSplit(training, holdOut);
    }
}
