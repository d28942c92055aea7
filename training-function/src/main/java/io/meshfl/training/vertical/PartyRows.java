package io.meshfl.training.vertical;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.step.AlignedColumns;
import io.meshfl.vertical.step.AlignedLabels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One party's rows of a vertical model, read from its own CSV (header line; the entity-key column; for the label
 * owner a 0/1 label column; every other column a number). Features are standardised with the party's own means and
 * standard deviations (nothing about them leaves the party). Plain comma-separated values, no quoting.
 */
record PartyRows(List<String> keys, int columns, float[] features, float[] labels) {

    static PartyRows read(ObjectStore store, PsiSessionSettings.PartyData data) {
        String[] lines = new String(store.read(data.rows()), StandardCharsets.UTF_8).split("\r?\n");
        if (lines.length < 2) {
            throw new VerticalRefusal("'" + data.rows() + "' has no rows under its header");
        }
        List<String> header = Arrays.asList(lines[0].split(",", -1));
        int keyColumn = column(header, data.entityKey(), data.rows());
        int labelColumn = data.label() == null ? -1 : column(header, data.label(), data.rows());
        int columns = header.size() - 1 - (labelColumn < 0 ? 0 : 1);
        if (columns < 1) {
            throw new VerticalRefusal("'" + data.rows() + "' has no feature column");
        }
        List<String> keys = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        float[] labels = labelColumn < 0 ? null : new float[lines.length - 1];
        for (int line = 1; line < lines.length; line++) {
            if (lines[line].isBlank()) {
                continue;
            }
            String[] cells = lines[line].split(",", -1);
            if (cells.length != header.size()) {
                throw new VerticalRefusal("'" + data.rows() + "' line " + (line + 1) + " has " + cells.length
                        + " cells, the header " + header.size());
            }
            float[] row = new float[columns];
            int c = 0;
            for (int i = 0; i < cells.length; i++) {
                if (i == keyColumn) {
                    keys.add(cells[i].strip());
                } else if (i == labelColumn) {
                    labels[features.size()] = number(cells[i], data.rows(), line, header.get(i));
                } else {
                    row[c++] = number(cells[i], data.rows(), line, header.get(i));
                }
            }
            features.add(row);
        }
        float[] values = new float[features.size() * columns];
        for (int r = 0; r < features.size(); r++) {
            System.arraycopy(features.get(r), 0, values, r * columns, columns);
        }
        standardise(values, columns);
        return new PartyRows(List.copyOf(keys), columns, values,
                labels == null ? null : Arrays.copyOf(labels, keys.size()));
    }

    /** The party's features in the federation's common order. */
    AlignedColumns aligned(EntityAlignment alignment) {
        float[] out = new float[alignment.size() * columns];
        for (int i = 0; i < alignment.size(); i++) {
            System.arraycopy(features, alignment.rows().get(i) * columns, out, i * columns, columns);
        }
        return new AlignedColumns(alignment.pseudonyms(), columns, out);
    }

    /** The label owner's labels in the common order. */
    AlignedLabels alignedLabels(EntityAlignment alignment) {
        if (labels == null) {
            throw new IllegalStateException("This party's rows have no label column");
        }
        float[] out = new float[alignment.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[alignment.rows().get(i)];
        }
        return new AlignedLabels(alignment.pseudonyms(), out);
    }

    private static int column(List<String> header, String name, String where) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new VerticalRefusal("'" + where + "' has no column '" + name + "' (columns: " + header + ")");
        }
        return index;
    }

    private static float number(String cell, String where, int line, String column) {
        try {
            return Float.parseFloat(cell.strip());
        } catch (NumberFormatException e) {
            throw new VerticalRefusal("'" + where + "' line " + (line + 1) + " column '" + column
                    + "' is not a number: '" + cell + "'", e);
        }
    }

    private static void standardise(float[] values, int columns) {
        int rows = values.length / columns;
        for (int c = 0; c < columns; c++) {
            double sum = 0;
            double squares = 0;
            for (int r = 0; r < rows; r++) {
                sum += values[r * columns + c];
                squares += (double) values[r * columns + c] * values[r * columns + c];
            }
            double mean = sum / rows;
            double sd = Math.sqrt(Math.max(0, squares / rows - mean * mean));
            for (int r = 0; r < rows; r++) {
                values[r * columns + c] = (float) ((values[r * columns + c] - mean) / (sd > 0 ? sd : 1));
            }
        }
    }
}
