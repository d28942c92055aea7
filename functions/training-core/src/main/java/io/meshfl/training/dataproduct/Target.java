package io.meshfl.training.dataproduct;

import java.util.List;

/** What the label column holds for the model being trained, and so which label values are valid. */
public sealed interface Target {

    /** Class labels written as the class's index {@code 0 .. count-1} (booleans: false is 0, true is 1). */
    record ClassIndices(int count) implements Target {
    }

    /** Class labels written as names; a name's position in the list is its class index. */
    record ClassNames(List<String> names) implements Target {
        public ClassNames {
            names = List.copyOf(names);
        }
    }

    /** A real-valued label, for regression. */
    record Continuous() implements Target {
    }

    /**
     * The classes of a classifier with {@code classes} outputs on {@code label}: the label's declared categories if
     * it has any (there must be exactly {@code classes}), else class indices (a boolean label has two classes).
     */
    static Target classes(Column label, int classes) {
        if (!label.categories().isEmpty()) {
            if (label.categories().size() != classes) {
                throw new DataProductException("label column '" + label.name() + "' declares "
                        + label.categories().size() + " categories " + label.categories() + " but the model has "
                        + classes + " classes");
            }
            return new ClassNames(label.categories());
        }
        if (label.type() == ColumnType.STRING) {
            throw new DataProductException("label column '" + label.name()
                    + "' holds strings but its schema declares no categories to number the classes");
        }
        if (label.type() == ColumnType.BOOLEAN && classes != 2) {
            throw new DataProductException("label column '" + label.name() + "' is boolean (2 classes) but the model has "
                    + classes + " classes");
        }
        return new ClassIndices(classes);
    }
}
