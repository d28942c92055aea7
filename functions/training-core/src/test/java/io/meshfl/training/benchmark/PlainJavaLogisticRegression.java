package io.meshfl.training.benchmark;

import io.meshfl.training.dataproduct.TabularData;
import java.util.SplittableRandom;

/**
 * The baseline the benchmark compares DJL with: softmax regression trained by mini-batch SGD in plain Java, the
 * same arithmetic as DJL's logistic regression with SGD (mean cross-entropy over the batch, fixed learning rate,
 * the same seeded batch order).
 */
final class PlainJavaLogisticRegression {

    private final int inputs;
    private final int classes;
    private final float[] weight;
    private final float[] bias;

    PlainJavaLogisticRegression(int inputs, int classes, float[] weight, float[] bias) {
        this.inputs = inputs;
        this.classes = classes;
        this.weight = weight.clone();
        this.bias = bias.clone();
    }

    void train(TabularData rows, int epochs, int batchSize, float learningRate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] gradWeight = new float[weight.length];
        float[] gradBias = new float[bias.length];
        float[] probabilities = new float[classes];
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = permutation(rows.rows(), random);
            for (int start = 0; start < order.length; start += batchSize) {
                int size = Math.min(batchSize, order.length - start);
                java.util.Arrays.fill(gradWeight, 0);
                java.util.Arrays.fill(gradBias, 0);
                for (int i = 0; i < size; i++) {
                    int row = order[start + i];
                    softmax(rows.features(), row * inputs, probabilities);
                    int label = (int) rows.labels()[row];
                    for (int c = 0; c < classes; c++) {
                        float error = (probabilities[c] - (c == label ? 1 : 0)) / size;
                        gradBias[c] += error;
                        for (int f = 0; f < inputs; f++) {
                            gradWeight[c * inputs + f] += error * rows.features()[row * inputs + f];
                        }
                    }
                }
                for (int k = 0; k < weight.length; k++) {
                    weight[k] -= learningRate * gradWeight[k];
                }
                for (int c = 0; c < classes; c++) {
                    bias[c] -= learningRate * gradBias[c];
                }
            }
        }
    }

    double meanCrossEntropy(TabularData rows) {
        float[] probabilities = new float[classes];
        double sum = 0;
        for (int row = 0; row < rows.rows(); row++) {
            softmax(rows.features(), row * inputs, probabilities);
            sum -= Math.log(probabilities[(int) rows.labels()[row]]);
        }
        return sum / rows.rows();
    }

    private void softmax(float[] features, int offset, float[] probabilities) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float logit = bias[c];
            for (int f = 0; f < inputs; f++) {
                logit += weight[c * inputs + f] * features[offset + f];
            }
            probabilities[c] = logit;
            max = Math.max(max, logit);
        }
        float sum = 0;
        for (int c = 0; c < classes; c++) {
            probabilities[c] = (float) Math.exp(probabilities[c] - max);
            sum += probabilities[c];
        }
        for (int c = 0; c < classes; c++) {
            probabilities[c] /= sum;
        }
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
