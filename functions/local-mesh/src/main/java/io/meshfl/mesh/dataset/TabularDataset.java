package io.meshfl.mesh.dataset;

import java.util.List;

/**
 * A tabular classification dataset in memory: numeric features and a categorical label encoded as an index
 * into {@code classes}. Row {@code i} is {@code features[i]} with label {@code classes.get(labels[i])}.
 */
public record TabularDataset(List<String> featureNames, String labelName, List<String> classes,
                             float[][] features, int[] labels) {

    public TabularDataset {
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != featureNames.size()) {
                throw new IllegalArgumentException("Row " + i + " has " + features[i].length + " features, expected "
                        + featureNames.size());
            }
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException("Row " + i + " has label index " + labels[i] + " outside the "
                        + classes.size() + " classes");
            }
        }
    }

    public int rows() {
        return labels.length;
    }

    /** The rows at {@code indices}, in that order; the class list stays whole so every share encodes alike. */
    public TabularDataset rows(int[] indices) {
        float[][] selectedFeatures = new float[indices.length][];
        int[] selectedLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selectedFeatures[i] = features[indices[i]];
            selectedLabels[i] = labels[indices[i]];
        }
        return new TabularDataset(featureNames, labelName, classes, selectedFeatures, selectedLabels);
    }

    /** Rows per class, indexed like {@code classes}. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
