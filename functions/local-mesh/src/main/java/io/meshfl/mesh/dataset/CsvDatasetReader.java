package io.meshfl.mesh.dataset;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads any tabular CSV with a header row: every column but the label must be numeric; the label is
 * categorical (its distinct values, sorted, become the classes).
 */
public final class CsvDatasetReader {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .get();

    public TabularDataset read(Path file, String labelColumn) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("--dataset " + file + " is not a readable file");
        }
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new DatasetException("--dataset " + file + " needs --label naming its label column");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains(labelColumn)) {
                throw new DatasetException("--label " + labelColumn + " is not a column of " + file + "; its columns are "
                        + header);
            }
            List<String> featureNames = header.stream().filter(name -> !name.equals(labelColumn)).toList();
            if (featureNames.isEmpty()) {
                throw new DatasetException(file + " has no feature column besides the label " + labelColumn);
            }
            List<float[]> rows = new ArrayList<>();
            List<String> labelValues = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() != header.size()) {
                    throw new DatasetException(file + " line " + (record.getRecordNumber() + 1) + " has " + record.size()
                            + " fields, the header has " + header.size());
                }
                rows.add(features(file, record, featureNames));
                String label = record.get(labelColumn);
                if (label.isEmpty()) {
                    throw new DatasetException(file + " line " + (record.getRecordNumber() + 1) + ": the label "
                            + labelColumn + " is empty");
                }
                labelValues.add(label);
            }
            return encode(file, featureNames, labelColumn, rows, labelValues);
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new DatasetException("Cannot read --dataset " + file + ": " + e.getMessage(), e);
        }
    }

    private static float[] features(Path file, CSVRecord record, List<String> featureNames) {
        float[] values = new float[featureNames.size()];
        for (int f = 0; f < values.length; f++) {
            String column = featureNames.get(f);
            String text = record.get(column);
            try {
                values[f] = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                values[f] = Float.NaN;
            }
            if (!Float.isFinite(values[f])) {
                throw new DatasetException(file + " line " + (record.getRecordNumber() + 1) + ", column " + column
                        + ": '" + text + "' is not a finite number (every column but the label must be numeric)");
            }
        }
        return values;
    }

    private static TabularDataset encode(Path file, List<String> featureNames, String labelColumn, List<float[]> rows,
                                         List<String> labelValues) {
        List<String> classes = List.copyOf(new TreeSet<>(labelValues));
        if (classes.size() < 2) {
            throw new DatasetException("The label " + labelColumn + " of " + file + " has " + classes.size()
                    + " distinct value(s); classification needs at least 2");
        }
        int[] labels = labelValues.stream().mapToInt(classes::indexOf).toArray();
        return new TabularDataset(featureNames, labelColumn, classes, rows.toArray(float[][]::new), labels);
    }
}
