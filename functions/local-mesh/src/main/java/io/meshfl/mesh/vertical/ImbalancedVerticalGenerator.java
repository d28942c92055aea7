package io.meshfl.mesh.vertical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The vertical demo's default dataset: a fraud-like, strongly imbalanced binary label (the top 2 % of a latent score)
 * whose signal is spread over every domain's columns. Each domain's block of 6 columns contributes a linear term, a
 * within-domain interaction, a curvature and a weak term (the sixth column is noise), and neighbouring domains share
 * an interaction, so every domain alone sees only part of the signal and the whole needs all of them.
 */
public final class ImbalancedVerticalGenerator {

    public static final int COLUMNS_PER_DOMAIN = 6;
    public static final double POSITIVE_RATE = 0.02;

    private ImbalancedVerticalGenerator() {
    }

    public static VerticalTable generate(int entities, int domains, long seed) {
        Random random = new Random(seed);
        int width = domains * COLUMNS_PER_DOMAIN;
        float[][] x = new float[entities][width];
        double[] score = new double[entities];
        for (int i = 0; i < entities; i++) {
            for (int c = 0; c < width; c++) {
                x[i][c] = (float) random.nextGaussian();
            }
            double s = 0;
            for (int d = 0; d < domains; d++) {
                int b = d * COLUMNS_PER_DOMAIN;
                s += x[i][b] + 0.8 * x[i][b + 1] * x[i][b + 2] + 0.6 * (x[i][b + 3] * x[i][b + 3] - 1) + 0.4 * x[i][b + 4];
                int next = ((d + 1) % domains) * COLUMNS_PER_DOMAIN;
                s += 0.5 * x[i][b] * x[i][next + 1];
            }
            score[i] = s + 0.5 * random.nextGaussian();
        }
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        double threshold = sorted[(int) Math.floor((1 - POSITIVE_RATE) * entities)];
        int[] labels = new int[entities];
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            labels[i] = score[i] >= threshold ? 1 : 0;
            keys.add(String.format("cust-%07d", i));
        }
        List<String> columns = new ArrayList<>();
        for (int d = 1; d <= domains; d++) {
            for (int c = 1; c <= COLUMNS_PER_DOMAIN; c++) {
                columns.add("d" + d + "_f" + c);
            }
        }
        return new VerticalTable("generated: " + entities + " entities, " + width + " columns, "
                + Math.round(POSITIVE_RATE * 1000) / 10.0 + " % positives (seed " + seed + ")", keys, columns, x,
                labels, "1");
    }
}
