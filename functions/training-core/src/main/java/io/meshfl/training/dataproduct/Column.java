package io.meshfl.training.dataproduct;

import java.util.List;

/**
 * One column of a data product's schema.
 *
 * @param categories the allowed values of a categorical column in a fixed order (a string label's classes);
 *     empty when the schema declares none
 */
public record Column(String name, ColumnType type, List<String> categories) {

    public Column {
        if (name == null || name.isBlank()) {
            throw new DataProductException("a schema column has no name");
        }
        if (type == null) {
            throw new DataProductException("schema column '" + name + "' has no type");
        }
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public Column(String name, ColumnType type) {
        this(name, type, List.of());
    }
}
