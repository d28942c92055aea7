package io.meshfl.training.dataproduct;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * Reads a data product's CSV or Parquet output port with an in-process DuckDB, checked against the descriptor's
 * schema.
 *
 * <p>Why DuckDB: one well-kept reader for both formats (its CSV reader handles quoting, headers and dialects; its
 * Parquet reader needs no Hadoop classes, which parquet-hadoop does), MIT licensed, its native library inside the
 * jar. DuckDB converts the values ({@code TRY_CAST}); this class only decides which values are acceptable, so every
 * rejection names the column, the row and the value.
 *
 * <p>CSV columns are read as text and converted by the schema's declared types, never by DuckDB's type sniffing,
 * so that a column's meaning does not depend on its first rows.
 */
public final class DataProductReader {

    private final int threads;

    /** @param threads DuckDB worker threads (one keeps the row order of the file and suits a function) */
    public DataProductReader(int threads) {
        this.threads = threads;
    }

    public TabularData read(DataProductFile file, DataProductSchema schema, Target target) {
        requireNotEmpty(file);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            String source = source(file);
            requireSchemaColumns(file, schema, actualColumns(statement, source));
            return readRows(file, schema, target, statement, source);
        } catch (SQLException e) {
            throw new DataProductException("data product '" + file.id() + "' could not be read as "
                    + file.format().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(), e);
        }
    }

    private static void requireNotEmpty(DataProductFile file) {
        try {
            if (Files.size(file.path()) == 0) {
                throw new DataProductException("data product '" + file.id() + "' is empty: the file has no bytes");
            }
        } catch (IOException e) {
            throw new DataProductException("data product '" + file.id() + "' cannot be opened: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("threads", Integer.toString(threads));
        // Never reach out for extensions: CSV and Parquet are built into the JDBC driver.
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        return DriverManager.getConnection("jdbc:duckdb:", properties);
    }

    private static String source(DataProductFile file) {
        String path = "'" + file.path().toAbsolutePath().toString().replace("'", "''") + "'";
        return switch (file.format()) {
            case CSV -> "read_csv(" + path + ", header = true, all_varchar = true)";
            case PARQUET -> "read_parquet(" + path + ")";
        };
    }

    private static Map<String, String> actualColumns(Statement statement, String source)
            throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (ResultSet described = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (described.next()) {
                columns.put(described.getString("column_name"), described.getString("column_type"));
            }
        }
        return columns;
    }

    private static void requireSchemaColumns(DataProductFile file, DataProductSchema schema,
            Map<String, String> actual) {
        List<String> missing = schema.columns().stream().map(Column::name).filter(n -> !actual.containsKey(n))
                .toList();
        if (!missing.isEmpty()) {
            throw new DataProductException("data product '" + file.id() + "' is missing schema column"
                    + (missing.size() == 1 ? " '" + missing.get(0) + "'" : "s " + missing) + "; it has "
                    + actual.keySet());
        }
    }

    private static TabularData readRows(DataProductFile file, DataProductSchema schema, Target target,
            Statement statement, String source) throws SQLException {
        List<Column> features = schema.features();
        Column label = schema.label();
        StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM " + source);
        for (Column feature : features) {
            select.add(text(feature)).add(number(feature));
        }
        select.add(text(label)).add(number(label));

        List<float[]> rows = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(select.toString())) {
            int row = 0;
            while (result.next()) {
                row++;
                float[] values = new float[features.size()];
                for (int f = 0; f < features.size(); f++) {
                    values[f] = featureValue(file, features.get(f), row, result, 2 * f + 1);
                }
                rows.add(values);
                labels.add(labelValue(file, label, target, row, result, 2 * features.size() + 1));
            }
        }
        if (rows.isEmpty()) {
            throw new DataProductException("data product '" + file.id() + "' is empty: it has no rows");
        }
        float[] featureValues = new float[rows.size() * features.size()];
        float[] labelValues = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, featureValues, r * features.size(), features.size());
            labelValues[r] = labels.get(r);
        }
        return new TabularData(features.stream().map(Column::name).toList(), featureValues, labelValues);
    }

    private static String quoted(Column column) {
        return "\"" + column.name().replace("\"", "\"\"") + "\"";
    }

    private static String text(Column column) {
        return "CAST(" + quoted(column) + " AS VARCHAR)";
    }

    private static String number(Column column) {
        return column.type() == ColumnType.BOOLEAN
                ? "TRY_CAST(TRY_CAST(" + quoted(column) + " AS BOOLEAN) AS DOUBLE)"
                : "TRY_CAST(" + quoted(column) + " AS DOUBLE)";
    }

    private static float featureValue(DataProductFile file, Column column, int row, ResultSet result, int index)
            throws SQLException {
        String text = result.getString(index);
        double value = result.getDouble(index + 1);
        boolean converted = !result.wasNull();
        if (text == null) {
            throw new DataProductException(at(file, column, row) + "has no value");
        }
        if (!converted || !Double.isFinite(value)) {
            throw new DataProductException(at(file, column, row) + "has '" + text + "', not a finite "
                    + column.type().name().toLowerCase());
        }
        return (float) value;
    }

    private static float labelValue(DataProductFile file, Column label, Target target, int row, ResultSet result,
            int index) throws SQLException {
        String text = result.getString(index);
        double value = result.getDouble(index + 1);
        boolean converted = !result.wasNull();
        if (text == null) {
            throw new DataProductException(at(file, label, row) + "(the label) has no value");
        }
        if (target instanceof Target.ClassIndices indices) {
            if (!converted || value != Math.rint(value) || value < 0 || value >= indices.count()) {
                throw new DataProductException(at(file, label, row) + "(the label) has class '" + text
                        + "', which the model does not know: its classes are 0.." + (indices.count() - 1));
            }
            return (float) value;
        }
        if (target instanceof Target.ClassNames names) {
            int classIndex = names.names().indexOf(text);
            if (classIndex < 0) {
                throw new DataProductException(at(file, label, row) + "(the label) has class '" + text
                        + "', which the model does not know: its classes are " + names.names());
            }
            return classIndex;
        }
        if (!converted || !Double.isFinite(value)) {
            throw new DataProductException(at(file, label, row) + "(the label) has '" + text
                    + "', not a finite number");
        }
        return (float) value;
    }

    private static String at(DataProductFile file, Column column, int row) {
        return "data product '" + file.id() + "', row " + row + ": column '" + column.name() + "' ";
    }
}
