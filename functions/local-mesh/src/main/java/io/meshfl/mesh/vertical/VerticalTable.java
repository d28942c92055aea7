package io.meshfl.mesh.vertical;

import java.util.List;

/**
 * The whole dataset of a vertical demo as the demo's author holds it before dealing it out: one row per entity, its
 * key, its numeric columns and its binary label (1 = the positive class). No domain ever sees it whole.
 */
public record VerticalTable(String name, List<String> entityKeys, List<String> columns, float[][] features,
                            int[] labels, String positiveClass) {

    public VerticalTable {
        entityKeys = List.copyOf(entityKeys);
        columns = List.copyOf(columns);
        if (features.length != entityKeys.size() || labels.length != entityKeys.size()) {
            throw new IllegalArgumentException(entityKeys.size() + " keys, " + features.length + " feature rows and "
                    + labels.length + " labels");
        }
    }

    public int rows() {
        return labels.length;
    }

    public double positiveRate() {
        double positives = 0;
        for (int label : labels) {
            positives += label;
        }
        return positives / labels.length;
    }
}
