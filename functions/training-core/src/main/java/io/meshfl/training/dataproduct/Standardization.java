package io.meshfl.training.dataproduct;

import java.util.Arrays;

/**
 * Per-feature mean and standard deviation, computed from a domain's own training rows: the statistics never leave
 * the domain, and the hold-out rows are scaled with the training rows' statistics so they stay unseen.
 */
public record Standardization(double[] means, double[] deviations) {

    public static Standardization of(TabularData data) {
        int columns = data.columns();
        int rows = data.rows();
        double[] means = new double[columns];
        double[] deviations = new double[columns];
        float[] features = data.features();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                means[c] += features[r * columns + c];
            }
        }
        for (int c = 0; c < columns; c++) {
            means[c] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double d = features[r * columns + c] - means[c];
                deviations[c] += d * d;
            }
        }
        for (int c = 0; c < columns; c++) {
            double deviation = Math.sqrt(deviations[c] / rows);
            // A constant column carries no information; centring it to zero is all that is needed.
            deviations[c] = deviation > 0 ? deviation : 1;
        }
        return new Standardization(means, deviations);
    }

    /** Leaves every value as it is: for features already on the mesh's common scale. */
    public static Standardization identity(int columns) {
        double[] ones = new double[columns];
        Arrays.fill(ones, 1);
        return new Standardization(new double[columns], ones);
    }

    /** {@code (x - mean) / deviation} for every feature value. */
    public TabularData apply(TabularData data) {
        int columns = data.columns();
        if (columns != means.length) {
            throw new IllegalArgumentException("statistics for " + means.length + " columns, data has " + columns);
        }
        float[] features = data.features();
        float[] scaled = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            int c = i % columns;
            scaled[i] = (float) ((features[i] - means[c]) / deviations[c]);
        }
        return new TabularData(data.featureNames(), scaled, data.labels());
    }
}
