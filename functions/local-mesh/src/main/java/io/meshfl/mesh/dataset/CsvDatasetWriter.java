package io.meshfl.mesh.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a dataset as CSV with a header row: the features, then the label as its class name. */
public final class CsvDatasetWriter {

    public void write(TabularDataset dataset, Path file) {
        List<String> header = new ArrayList<>(dataset.featureNames());
        header.add(dataset.labelName());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                 CSVPrinter printer = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                         .setHeader(header.toArray(String[]::new)).get().print(out)) {
                for (int row = 0; row < dataset.rows(); row++) {
                    List<Object> values = new ArrayList<>(header.size());
                    for (float value : dataset.features()[row]) {
                        values.add(Float.toString(value));
                    }
                    values.add(dataset.classes().get(dataset.labels()[row]));
                    printer.printRecord(values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
