package io.meshfl.mesh.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's default dataset: a fixed-seed Gaussian mixture with class-dependent means.
 *
 * <p>Each of the {@code classes} classes is itself a mixture of {@code componentsPerClass} Gaussian blobs
 * (so the classes are not linearly separable and an MLP has something to learn beyond a linear model). The
 * blob centres are drawn once from N(0, separation² · I) with the seed; a row of class c picks one of c's blobs
 * uniformly and adds N(0, I) noise to its centre. Classes are balanced. The same seed gives the same rows,
 * bit for bit, on every machine (java.util.Random is specified exactly).
 */
public record GaussianMixtureGenerator(int rows, int features, int classes, int componentsPerClass,
                                       double separation) {

    /** What {@code ./meshfl demo} generates when no --dataset is given. */
    public static GaussianMixtureGenerator demoDefault() {
        return new GaussianMixtureGenerator(8_000, 16, 6, 2, 1.0);
    }

    public GaussianMixtureGenerator {
        if (rows < classes || features < 1 || classes < 2 || componentsPerClass < 1 || !(separation > 0)) {
            throw new IllegalArgumentException("Invalid mixture: rows=" + rows + ", features=" + features + ", classes="
                    + classes + ", componentsPerClass=" + componentsPerClass + ", separation=" + separation);
        }
    }

    public TabularDataset generate(long seed) {
        Random random = new Random(seed);
        double[][][] centres = new double[classes][componentsPerClass][features];
        for (double[][] classCentres : centres) {
            for (double[] centre : classCentres) {
                for (int f = 0; f < features; f++) {
                    centre[f] = separation * random.nextGaussian();
                }
            }
        }
        float[][] x = new float[rows][features];
        int[] y = new int[rows];
        for (int row = 0; row < rows; row++) {
            int label = row % classes;
            double[] centre = centres[label][random.nextInt(componentsPerClass)];
            for (int f = 0; f < features; f++) {
                x[row][f] = (float) (centre[f] + random.nextGaussian());
            }
            y[row] = label;
        }
        return new TabularDataset(featureNames(), "label", classNames(), x, y);
    }

    private List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int f = 1; f <= features; f++) {
            names.add(String.format("x%02d", f));
        }
        return names;
    }

    private List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class_" + c);
        }
        return names;
    }
}
