package io.meshfl.mesh.report;

import java.util.List;

/** A named row of values for a chart, one per category or x position; NaN marks a missing value. */
public record Series(String name, String color, List<Double> values) {

    public Series {
        values = List.copyOf(values);
    }
}
