package io.meshfl.training.dataproduct;

import java.util.Locale;

/** A column's type as a data product's schema declares it: the ODCS v3 logical types the registry accepts. */
public enum ColumnType {
    INTEGER,
    NUMBER,
    BOOLEAN,
    STRING,
    /** date, object, array: kept in the data product, never a model input. */
    OTHER;

    public static ColumnType of(String logicalType) {
        if (logicalType == null) {
            throw new DataProductException("a schema column has no logical type");
        }
        return switch (logicalType.trim().toLowerCase(Locale.ROOT)) {
            case "integer" -> INTEGER;
            case "number" -> NUMBER;
            case "boolean" -> BOOLEAN;
            case "string" -> STRING;
            case "date", "object", "array" -> OTHER;
            default -> throw new DataProductException("unknown logical type '" + logicalType
                    + "'; ODCS v3 has string, date, number, integer, object, array and boolean");
        };
    }

    /** Whether a model takes the column as a feature: numbers, and booleans as 0 and 1. */
    public boolean isNumeric() {
        return this == INTEGER || this == NUMBER || this == BOOLEAN;
    }
}
