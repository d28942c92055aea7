package io.meshfl.vertical.step;

import java.util.List;

/**
 * A party's own feature columns in the federation's common order (position i is the entity with pseudonym i, as the
 * private set intersection aligned it), position-major. It never leaves the party.
 */
public record AlignedColumns(List<String> pseudonyms, int columns, float[] values) {

    public AlignedColumns {
        pseudonyms = List.copyOf(pseudonyms);
        if (columns < 1 || values.length != (long) pseudonyms.size() * columns) {
            throw new IllegalArgumentException("Expected " + pseudonyms.size() + " positions of " + columns
                    + " columns, got " + values.length + " values");
        }
    }

    /** The features of {@code positions}, row-major. */
    public float[] rows(int[] positions) {
        float[] out = new float[positions.length * columns];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(values, positions[i] * columns, out, i * columns, columns);
        }
        return out;
    }
}
