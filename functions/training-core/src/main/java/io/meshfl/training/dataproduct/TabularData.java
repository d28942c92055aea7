package io.meshfl.training.dataproduct;

import java.util.List;

/**
 * Rows of a data product ready for a model: features row-major ({@code rows × featureNames.size()}) and one label
 * per row (a class index, or the regression target).
 */
public record TabularData(List<String> featureNames, float[] features, float[] labels) {

    public TabularData {
        featureNames = List.copyOf(featureNames);
        if (labels.length * (long) featureNames.size() != features.length) {
            throw new IllegalArgumentException(labels.length + " labels and " + featureNames.size()
                    + " feature columns need " + labels.length * (long) featureNames.size() + " feature values, got "
                    + features.length);
        }
    }

    public int rows() {
        return labels.length;
    }

    public int columns() {
        return featureNames.size();
    }

    /** The given rows, in the given order. */
    public TabularData select(int[] rowIndices) {
        int columns = columns();
        float[] selectedFeatures = new float[rowIndices.length * columns];
        float[] selectedLabels = new float[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(features, rowIndices[i] * columns, selectedFeatures, i * columns, columns);
            selectedLabels[i] = labels[rowIndices[i]];
        }
        return new TabularData(featureNames, selectedFeatures, selectedLabels);
    }
}
