package io.meshfl.mesh.vertical;

import io.meshfl.mesh.dataset.DatasetException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads {@code --dataset} for the vertical demo: a header row, a binary label column, optionally an entity key column
 * (else the row number is the key), every other column numeric. The positive class is the label's rarer value (the
 * one a fraud or diagnosis model flags).
 */
public final class VerticalCsvReader {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private VerticalCsvReader() {
    }

    public static VerticalTable read(Path file, String label, String entityKey) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("--dataset " + file + " is not a readable file");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains(label)) {
                throw new DatasetException("--label " + label + " is not a column of " + file + "; its columns are "
                        + header);
            }
            if (entityKey != null && !header.contains(entityKey)) {
                throw new DatasetException("--entity-key " + entityKey + " is not a column of " + file
                        + "; its columns are " + header);
            }
            List<String> columns = header.stream().filter(c -> !c.equals(label) && !c.equals(entityKey)).toList();
            List<String> keys = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                String key = entityKey == null ? Long.toString(record.getRecordNumber()) : record.get(entityKey);
                if (!seen.add(key)) {
                    throw new DatasetException(file + " line " + line + " repeats an entity key of an earlier line;"
                            + " --entity-key must name each entity once");
                }
                keys.add(key);
                float[] values = new float[columns.size()];
                for (int c = 0; c < values.length; c++) {
                    String text = record.get(columns.get(c));
                    try {
                        values[c] = Float.parseFloat(text);
                    } catch (NumberFormatException e) {
                        values[c] = Float.NaN;
                    }
                    if (!Float.isFinite(values[c])) {
                        throw new DatasetException(file + " line " + line + ", column " + columns.get(c) + ": '" + text
                                + "' is not a finite number (every column but the label and the entity key must be)");
                    }
                }
                rows.add(values);
                labels.add(record.get(label));
            }
            return encode(file, label, keys, columns, rows, labels);
        } catch (IOException | IllegalArgumentException e) {
            throw new DatasetException("Cannot read --dataset " + file + ": " + e.getMessage(), e);
        }
    }

    private static VerticalTable encode(Path file, String label, List<String> keys, List<String> columns,
            List<float[]> rows, List<String> labels) {
        Map<String, Integer> counts = new TreeMap<>();
        labels.forEach(value -> counts.merge(value, 1, Integer::sum));
        if (counts.size() != 2) {
            throw new DatasetException("The vertical demo needs a binary label: " + label + " of " + file + " has "
                    + counts.size() + " distinct values " + counts.keySet()
                    + " (multi-class vertical models are not built yet)");
        }
        List<String> values = new ArrayList<>(counts.keySet());
        String positive = counts.get(values.get(0)) < counts.get(values.get(1)) ? values.get(0) : values.get(1);
        int[] encoded = labels.stream().mapToInt(value -> value.equals(positive) ? 1 : 0).toArray();
        return new VerticalTable(file.getFileName().toString(), keys, columns, rows.toArray(float[][]::new), encoded,
                positive);
    }
}
