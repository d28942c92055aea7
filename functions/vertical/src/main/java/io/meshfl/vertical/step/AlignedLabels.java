package io.meshfl.vertical.step;

import java.util.List;

/** The label owner's binary labels (0 or 1) in the common order; only the head owner holds them. */
public record AlignedLabels(List<String> pseudonyms, float[] labels) {

    public AlignedLabels {
        pseudonyms = List.copyOf(pseudonyms);
        if (labels.length != pseudonyms.size()) {
            throw new IllegalArgumentException("Expected one label per position (" + pseudonyms.size() + "), got "
                    + labels.length);
        }
    }

    public float[] rows(int[] positions) {
        float[] out = new float[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = labels[positions[i]];
        }
        return out;
    }
}
