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

    /** Every feature as {@code (x - mean) / deviation} over all rows (a constant feature is only centred). */
    public TabularDataset standardized() {
        int columns = featureNames.size();
        double[] means = new double[columns];
        double[] squares = new double[columns];
        for (float[] row : features) {
            for (int c = 0; c < columns; c++) {
                means[c] += row[c];
            }
        }
        for (int c = 0; c < columns; c++) {
            means[c] /= Math.max(1, rows());
        }
        for (float[] row : features) {
            for (int c = 0; c < columns; c++) {
                double d = row[c] - means[c];
                squares[c] += d * d;
            }
        }
        float[][] scaled = new float[rows()][columns];
        for (int c = 0; c < columns; c++) {
            double deviation = Math.sqrt(squares[c] / Math.max(1, rows()));
            double divisor = deviation > 0 ? deviation : 1;
            for (int r = 0; r < rows(); r++) {
                scaled[r][c] = (float) ((features[r][c] - means[c]) / divisor);
            }
        }
        return new TabularDataset(featureNames, labelName, classes, scaled, labels);
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
