package io.meshfl.training;

import io.meshfl.training.dataproduct.Column;
import io.meshfl.training.dataproduct.ColumnType;
import io.meshfl.training.dataproduct.DataProductSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A data product generated for tests: features with different means and scales (so standardisation matters) and a
 * label from a known linear rule: class {@code w·x + b > 0} for classification (linearly separable), or
 * {@code w·x + b} plus small noise for regression.
 */
public record SyntheticDataProduct(List<String> header, List<String[]> rows) {

    public static final String LABEL = "label";

    public static SyntheticDataProduct classification(int rowCount, int features, long seed) {
        return generate(rowCount, features, seed, false);
    }

    public static SyntheticDataProduct regression(int rowCount, int features, long seed) {
        return generate(rowCount, features, seed, true);
    }

    private static SyntheticDataProduct generate(int rowCount, int features, long seed, boolean regression) {
        Random random = new Random(seed);
        double[] separator = new double[features];
        double[] means = new double[features];
        double[] scales = new double[features];
        for (int f = 0; f < features; f++) {
            separator[f] = random.nextGaussian();
            means[f] = 10 * random.nextGaussian();
            scales[f] = 0.5 + 5 * random.nextDouble();
        }
        List<String> header = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            header.add("x" + f);
        }
        header.add(LABEL);
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < rowCount; r++) {
            String[] row = new String[features + 1];
            double score = 0;
            for (int f = 0; f < features; f++) {
                double standard = random.nextGaussian();
                score += separator[f] * standard;
                row[f] = Double.toString(means[f] + scales[f] * standard);
            }
            row[features] = regression
                    ? Double.toString(score + 0.1 * random.nextGaussian())
                    : score > 0 ? "1" : "0";
            rows.add(row);
        }
        return new SyntheticDataProduct(List.copyOf(header), List.copyOf(rows));
    }

    /** The schema a descriptor would declare: every x column a number, the label an integer class or a number. */
    public DataProductSchema schema(ColumnType labelType) {
        List<Column> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(new Column(name, name.equals(LABEL) ? labelType : ColumnType.NUMBER));
        }
        return new DataProductSchema(columns, LABEL);
    }

    public Path writeCsv(Path file) {
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (String[] row : rows) {
            csv.append(String.join(",", row)).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parquet with typed columns (DOUBLE features, BIGINT or DOUBLE label), written by DuckDB from the CSV. */
    public Path writeParquet(Path file, String labelSqlType) {
        Path csv = writeCsv(file.resolveSibling(file.getFileName() + ".source.csv"));
        StringBuilder select = new StringBuilder("SELECT ");
        for (String name : header) {
            select.append("CAST(\"").append(name).append("\" AS ")
                    .append(name.equals(LABEL) ? labelSqlType : "DOUBLE").append(") AS \"").append(name)
                    .append("\", ");
        }
        select.setLength(select.length() - 2);
        select.append(" FROM read_csv('").append(csv.toAbsolutePath()).append("', header = true, all_varchar = true)");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("COPY (" + select + ") TO '" + file.toAbsolutePath() + "' (FORMAT parquet)");
            Files.delete(csv);
            return file;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot write test Parquet " + file, e);
        }
    }
}
