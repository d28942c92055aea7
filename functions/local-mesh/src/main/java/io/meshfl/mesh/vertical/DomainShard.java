package io.meshfl.mesh.vertical;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * What one domain holds of a vertical demo's entities: its own subset of them, in its own order, with its own
 * columns (raw as dealt; {@link #standardised} scales them with its own non-held-out rows' statistics). The label owner
 * also holds their labels.
 *
 * @param tableRows for each of the domain's rows, the table's row (known to the demo's evaluator only)
 */
public record DomainShard(String domain, List<String> keys, List<Integer> tableRows, int columns, float[][] features) {

    /**
     * Deals the table: each domain holds each entity with probability {@code hold}, shuffled into its own order, so
     * the domains' entity sets overlap only partly and no two domains list them alike.
     */
    public static Map<String, DomainShard> deal(VerticalTable table, Map<String, List<Integer>> columns, double hold,
            long seed) {
        Random random = new Random(seed);
        Map<String, DomainShard> shards = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> domain : columns.entrySet()) {
            List<Integer> rows = new ArrayList<>();
            for (int row = 0; row < table.rows(); row++) {
                if (random.nextDouble() < hold) {
                    rows.add(row);
                }
            }
            Collections.shuffle(rows, random);
            List<Integer> cols = domain.getValue();
            float[][] features = new float[rows.size()][cols.size()];
            for (int i = 0; i < rows.size(); i++) {
                for (int c = 0; c < cols.size(); c++) {
                    features[i][c] = table.features()[rows.get(i)][cols.get(c)];
                }
            }
            List<String> keys = rows.stream().map(table.entityKeys()::get).toList();
            shards.put(domain.getKey(), new DomainShard(domain.getKey(), keys, List.copyOf(rows), cols.size(), features));
        }
        return shards;
    }

    /**
     * This shard standardised: zero mean, unit variance per column over the domain's own rows except the held-out
     * (test) entities, which no model may learn anything from, their scale included.
     */
    public DomainShard standardised(Predicate<String> heldOutKey) {
        float[][] copy = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            copy[i] = features[i].clone();
        }
        standardise(copy, keys, heldOutKey);
        return new DomainShard(domain, keys, tableRows, columns, copy);
    }

    /** Every shard of a deal standardised with {@link #standardised}. */
    public static Map<String, DomainShard> standardised(Map<String, DomainShard> shards, Predicate<String> heldOutKey) {
        Map<String, DomainShard> standardised = new LinkedHashMap<>();
        shards.forEach((domain, shard) -> standardised.put(domain, shard.standardised(heldOutKey)));
        return standardised;
    }

    private static void standardise(float[][] features, List<String> keys, Predicate<String> heldOutKey) {
        int columns = features.length == 0 ? 0 : features[0].length;
        boolean[] heldOut = new boolean[features.length];
        for (int i = 0; i < features.length; i++) {
            heldOut[i] = heldOutKey.test(keys.get(i));
        }
        for (int c = 0; c < columns; c++) {
            double sum = 0;
            double squares = 0;
            int n = 0;
            for (int i = 0; i < features.length; i++) {
                if (!heldOut[i]) {
                    sum += features[i][c];
                    squares += (double) features[i][c] * features[i][c];
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double sd = n == 0 ? 1 : Math.sqrt(Math.max(squares / n - mean * mean, 0));
            double scale = sd > 1e-12 ? sd : 1;
            for (float[] row : features) {
                row[c] = (float) ((row[c] - mean) / scale);
            }
        }
    }
}
