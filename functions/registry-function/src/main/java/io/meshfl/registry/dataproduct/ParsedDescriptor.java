package io.meshfl.registry.dataproduct;

import java.util.List;

/**
 * What the registry keeps from an ODPS v1.1 descriptor: output port 0 and its ODCS v3 contract. {@code labelColumn}
 * is null only for a product that declares an {@code entityKey} and no label (a vertical party's features).
 */
public record ParsedDescriptor(String id, String name, String version, String status, String domain,
                               String format, String location, List<Column> columns, String labelColumn,
                               List<String> purposes, Long minRecords, Double privacyBudget, Long records,
                               String entityKey) {

    /** A column of the output port's schema, with its ODCS logical type. */
    public record Column(String name, String logicalType) {
    }
}
