package io.meshfl.mesh.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Splits a dataset's rows among domains with a Dirichlet(α) label skew (Hsu, Qi and Brown 2019; Yurochkin et
 * al. 2019): for every class, a proportion vector p ~ Dir(α) over the domains decides how that class's rows are
 * shared. α = 0.1 gives each domain one or two dominant classes; α = 100 is close to an IID split.
 *
 * <p>Draws that leave a domain with fewer than {@code minRowsPerDomain} rows are redrawn (from the same seeded
 * stream, so the result stays reproducible) — a domain without data cannot take part in training.
 */
public final class LabelSkewPartition {

    private static final int MAX_DRAWS = 1_000;

    private final double alpha;
    private final int minRowsPerDomain;

    public LabelSkewPartition(double alpha, int minRowsPerDomain) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new DatasetException("--alpha must be a positive number, was " + alpha);
        }
        this.alpha = alpha;
        this.minRowsPerDomain = minRowsPerDomain;
    }

    /** Row indices of each domain, every row in exactly one domain. */
    public int[][] partition(int[] labels, int classCount, int domains, long seed) {
        if (domains < 1) {
            throw new DatasetException("At least one domain is needed, was " + domains);
        }
        if ((long) domains * minRowsPerDomain > labels.length) {
            throw new DatasetException(labels.length + " rows cannot give " + domains + " domains at least "
                    + minRowsPerDomain + " rows each");
        }
        Random random = new Random(seed);
        Dirichlet dirichlet = new Dirichlet(alpha, random);
        int[][] rowsOfClass = rowsOfClass(labels, classCount, random);
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            int[][] shares = draw(rowsOfClass, domains, dirichlet);
            if (Arrays.stream(shares).allMatch(share -> share.length >= minRowsPerDomain)) {
                return shares;
            }
        }
        throw new DatasetException("With --alpha " + alpha + " no split among " + domains + " domains gave every domain "
                + minRowsPerDomain + " rows in " + MAX_DRAWS + " draws: raise --alpha or lower --domains");
    }

    private static int[][] rowsOfClass(int[] labels, int classCount, Random random) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int row = 0; row < labels.length; row++) {
            byClass.get(labels[row]).add(row);
        }
        int[][] result = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            List<Integer> rows = byClass.get(c);
            java.util.Collections.shuffle(rows, random);
            result[c] = rows.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private static int[][] draw(int[][] rowsOfClass, int domains, Dirichlet dirichlet) {
        List<List<Integer>> shares = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            shares.add(new ArrayList<>());
        }
        for (int[] rows : rowsOfClass) {
            double[] proportions = dirichlet.sample(domains);
            double cumulative = 0;
            int start = 0;
            for (int d = 0; d < domains; d++) {
                cumulative += proportions[d];
                // The last domain takes the remainder so rounding never loses a row.
                int end = d == domains - 1 ? rows.length : (int) Math.min(rows.length, Math.round(cumulative * rows.length));
                for (int i = start; i < end; i++) {
                    shares.get(d).add(rows[i]);
                }
                start = Math.max(start, end);
            }
        }
        return shares.stream()
                .map(share -> share.stream().mapToInt(Integer::intValue).sorted().toArray())
                .toArray(int[][]::new);
    }
}
