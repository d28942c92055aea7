package io.meshfl.mesh.vertical;

import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.step.AlignedColumns;
import io.meshfl.vertical.step.AlignedLabels;
import io.meshfl.vertical.step.WindowPlan;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * The domains' data after the private set intersection: each domain's columns in the common pseudonym order (what it
 * trains with), the label owner's labels in that order, and which positions are for training or held out (each
 * domain derives them from its own keys with the public {@link HoldOutRule}s; they must agree): of the entities not
 * held out, a second rule sets some aside for validation (model selection), the rest train. The evaluator's view
 * ({@link #tableRowAt}, the baselines' pooled columns) is the demo's, not any domain's.
 */
record AlignedData(VerticalTable table, Map<String, DomainShard> shards, Map<String, EntityAlignment> aligned,
                   Map<String, AlignedColumns> columns, int[] tableRowAt, int[] trainPositions,
                   int[] validationPositions, int[] evalPositions, Predicate<String> heldOut,
                   Predicate<String> validating) {

    /** One domain's own data for the "alone" baseline (its rows, labelled by the label owner). */
    record Local(float[][] features, float[] labels, int[] trainRows, int[] validationRows, int[] evalRows) {
    }

    static AlignedData of(VerticalTable table, Map<String, DomainShard> shards, Map<String, EntityAlignment> aligned,
            HoldOutRule holdOut, HoldOutRule validation) {
        return of(table, shards, aligned, holdOut::heldOut, key -> !holdOut.heldOut(key) && validation.heldOut(key));
    }

    /**
     * The same with the held-out and validation entities given by key (a fold of {@code --folds}: every party learns
     * its pseudonyms' folds from the label owner); {@code validating} must exclude the held-out keys.
     */
    static AlignedData of(VerticalTable table, Map<String, DomainShard> shards, Map<String, EntityAlignment> aligned,
            Predicate<String> heldOutKey, Predicate<String> validatingKey) {
        String first = shards.keySet().iterator().next();
        List<String> pseudonyms = aligned.get(first).pseudonyms();
        Map<String, AlignedColumns> columns = new LinkedHashMap<>();
        boolean[] heldOut = null;
        boolean[] validating = null;
        for (Map.Entry<String, DomainShard> entry : shards.entrySet()) {
            DomainShard shard = entry.getValue();
            EntityAlignment alignment = aligned.get(entry.getKey());
            if (!alignment.pseudonyms().equals(pseudonyms)) {
                throw new IllegalStateException(entry.getKey() + " aligned to another pseudonym order than " + first);
            }
            float[] values = new float[alignment.size() * shard.columns()];
            boolean[] own = new boolean[alignment.size()];
            boolean[] ownValidation = new boolean[alignment.size()];
            for (int i = 0; i < alignment.size(); i++) {
                int row = alignment.rows().get(i);
                System.arraycopy(shard.features()[row], 0, values, i * shard.columns(), shard.columns());
                own[i] = heldOutKey.test(shard.keys().get(row));
                ownValidation[i] = !own[i] && validatingKey.test(shard.keys().get(row));
            }
            if (heldOut != null && (!Arrays.equals(heldOut, own) || !Arrays.equals(validating, ownValidation))) {
                throw new IllegalStateException(entry.getKey() + " holds out other positions than " + first);
            }
            heldOut = own;
            validating = ownValidation;
            columns.put(entry.getKey(), new AlignedColumns(pseudonyms, shard.columns(), values));
        }
        DomainShard firstShard = shards.get(first);
        int[] tableRowAt = aligned.get(first).rows().stream().mapToInt(firstShard.tableRows()::get).toArray();
        boolean[] out = heldOut;
        boolean[] check = validating;
        return new AlignedData(table, shards, aligned, columns, tableRowAt,
                IntStream.range(0, out.length).filter(i -> !out[i] && !check[i]).toArray(),
                IntStream.range(0, out.length).filter(i -> check[i]).toArray(),
                IntStream.range(0, out.length).filter(i -> out[i]).toArray(), heldOutKey, validatingKey);
    }

    int size() {
        return tableRowAt.length;
    }

    /** The label owner's labels in the common order. */
    float[] labels() {
        float[] labels = new float[size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = table.labels()[tableRowAt[i]];
        }
        return labels;
    }

    AlignedLabels alignedLabels() {
        return new AlignedLabels(aligned.values().iterator().next().pseudonyms(), labels());
    }

    WindowPlan plan(int batchSize, long seed) {
        return new WindowPlan(trainPositions, batchSize, seed);
    }

    double trainPositiveRate() {
        float[] labels = labels();
        return Arrays.stream(trainPositions).mapToDouble(i -> labels[i]).average().orElse(0);
    }

    /** Every domain's columns side by side per position: the centralised baseline's input. */
    float[][] allColumns() {
        int width = columns.values().stream().mapToInt(AlignedColumns::columns).sum();
        float[][] all = new float[size()][width];
        int offset = 0;
        for (AlignedColumns domain : columns.values()) {
            for (int i = 0; i < size(); i++) {
                System.arraycopy(domain.values(), i * domain.columns(), all[i], offset, domain.columns());
            }
            offset += domain.columns();
        }
        return all;
    }

    /** Each domain's column count, in domain order (the combined model's column groups). */
    List<Integer> columnGroups() {
        return columns.values().stream().map(AlignedColumns::columns).toList();
    }

    /**
     * {@code domain} alone: its own rows that the label owner labels, minus the held-out entities, split by the same
     * validation rule; evaluated on the common held-out entities.
     */
    Local local(String domain, String labelOwner) {
        DomainShard shard = shards.get(domain);
        Set<Integer> labelled = new HashSet<>(shards.get(labelOwner).tableRows());
        Map<Integer, Integer> ownRowOf = new HashMap<>();
        float[] labels = new float[shard.tableRows().size()];
        for (int row = 0; row < labels.length; row++) {
            ownRowOf.put(shard.tableRows().get(row), row);
            labels[row] = table.labels()[shard.tableRows().get(row)];
        }
        int[] labelledRows = IntStream.range(0, labels.length)
                .filter(row -> labelled.contains(shard.tableRows().get(row)))
                .filter(row -> !heldOut.test(shard.keys().get(row)))
                .toArray();
        int[] train = Arrays.stream(labelledRows).filter(row -> !validating.test(shard.keys().get(row))).toArray();
        int[] check = Arrays.stream(labelledRows).filter(row -> validating.test(shard.keys().get(row))).toArray();
        int[] eval = Arrays.stream(evalPositions).map(i -> ownRowOf.get(tableRowAt[i])).toArray();
        return new Local(shard.features(), labels, train, check, eval);
    }

    /**
     * {@code domain} alone on exactly the entities the split model and the centralised one use: its columns of the
     * aligned entities, the same training, validation and held-out positions. The comparison that isolates what the
     * other domains' columns add (with {@link #local} a domain also learns from the rows only it and the label owner
     * hold, so it differs from split in rows as well as in columns).
     */
    Local sameEntities(String domain) {
        AlignedColumns own = columns.get(domain);
        float[][] features = new float[size()][own.columns()];
        for (int i = 0; i < size(); i++) {
            System.arraycopy(own.values(), i * own.columns(), features[i], 0, own.columns());
        }
        return new Local(features, labels(), trainPositions, validationPositions, evalPositions);
    }

    /** The evaluation of held-out scores (in {@link #evalPositions} order) against the true labels. */
    BinaryMetrics metrics(float[] evalScores) {
        return BinaryMetrics.of(evalScores, evalPositives(), trainPositiveRate());
    }

    /** Whether each held-out entity (in {@link #evalPositions} order) is positive: the evaluator's view. */
    boolean[] evalPositives() {
        boolean[] positive = new boolean[evalPositions.length];
        for (int i = 0; i < positive.length; i++) {
            positive[i] = table.labels()[tableRowAt[evalPositions[i]]] == 1;
        }
        return positive;
    }
}
