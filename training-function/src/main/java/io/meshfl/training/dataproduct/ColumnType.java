package io.meshfl.training.dataproduct;

import java.util.Locale;

/** A column's type as a data product's schema declares it (logical types, not storage types). */
public enum ColumnType {
    INTEGER,
    NUMBER,
    BOOLEAN,
    STRING;

    /** Reads the names schemas commonly use: ODPS/ODCS logical types and SQL-ish spellings. */
    public static ColumnType of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "integer", "int", "long", "bigint", "smallint", "tinyint" -> INTEGER;
            case "number", "double", "float", "decimal", "real", "numeric" -> NUMBER;
            case "boolean", "bool" -> BOOLEAN;
            case "string", "text", "varchar", "category", "categorical" -> STRING;
            default -> throw new DataProductException("unknown column type '" + name
                    + "'; use integer, number, boolean or string");
        };
    }

    /** Whether a model can take the column as a feature: numbers, and booleans as 0 and 1. */
    public boolean isNumeric() {
        return this != STRING;
    }
}
