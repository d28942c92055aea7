package io.meshfl.training.dataproduct;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns a data product's descriptor declares and which one is the label; every other column is a feature, in
 * declared order (the order the model's inputs take).
 */
public record DataProductSchema(List<Column> columns, String labelColumn) {

    public DataProductSchema {
        columns = List.copyOf(columns);
        Set<String> names = new HashSet<>();
        for (Column column : columns) {
            if (!names.add(column.name())) {
                throw new DataProductException("schema declares column '" + column.name() + "' twice");
            }
        }
        if (labelColumn == null || !names.contains(labelColumn)) {
            throw new DataProductException("label column '" + labelColumn + "' is not among the schema's columns "
                    + names);
        }
        for (Column column : columns) {
            if (!column.name().equals(labelColumn) && !column.type().isNumeric()) {
                throw new DataProductException("feature column '" + column.name()
                        + "' is a string; the tabular models take numbers and booleans as features");
            }
        }
    }

    public Column label() {
        return columns.stream().filter(c -> c.name().equals(labelColumn)).findFirst().orElseThrow();
    }

    public List<Column> features() {
        return columns.stream().filter(c -> !c.name().equals(labelColumn)).toList();
    }
}
