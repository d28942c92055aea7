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

/** Writes a dataset as CSV with a header row: the features, then the label. */
public final class CsvDatasetWriter {

    /** How the label column spells a class. */
    public enum LabelEncoding {
        /** The class's name, e.g. {@code class_3}. */
        NAMES,
        /**
         * The class's index 0…K−1 in the dataset's class list: what a data product publishes, so every domain
         * numbers the classes alike even when its share lacks some of them.
         */
        INDICES
    }

    private final LabelEncoding encoding;

    public CsvDatasetWriter(LabelEncoding encoding) {
        this.encoding = encoding;
    }

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
                    int label = dataset.labels()[row];
                    values.add(encoding == LabelEncoding.NAMES ? dataset.classes().get(label) : Integer.toString(label));
                    printer.printRecord(values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
