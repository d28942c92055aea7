package io.meshfl.training.dataproduct;

import java.util.Locale;

/** The output-port formats the training function reads. */
public enum DataProductFormat {
    CSV,
    PARQUET;

    public static DataProductFormat of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "csv", "text/csv" -> CSV;
            case "parquet", "application/vnd.apache.parquet" -> PARQUET;
            default -> throw new DataProductException("unsupported data product format '" + name
                    + "'; the training function reads csv and parquet");
        };
    }
}
