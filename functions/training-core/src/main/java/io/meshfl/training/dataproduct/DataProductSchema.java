package io.meshfl.training.dataproduct;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns a data product's descriptor declares and which one is the label. The features are the other columns
 * of numeric or boolean type, in declared order (the order the model's inputs take); text, date and nested columns
 * (ids, names, timestamps) stay in the data product and are not read.
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
        String label = labelColumn;
        if (columns.stream().anyMatch(c -> c.name().equals(label) && c.type() == ColumnType.OTHER)) {
            throw new DataProductException("label column '" + labelColumn
                    + "' is neither a number, a boolean nor a string");
        }
    }

    public Column label() {
        return columns.stream().filter(c -> c.name().equals(labelColumn)).findFirst().orElseThrow();
    }

    public List<Column> features() {
        return columns.stream().filter(c -> !c.name().equals(labelColumn) && c.type().isNumeric()).toList();
    }
}
