package io.meshfl.aggregation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The function's answer to one event: a report per object the event named as created, and the milliseconds the
 * invocation spent per phase (read, validate, aggregate, write, registry).
 */
public record EventReport(List<ObjectReport> objects, Map<String, Double> millis) {

    public EventReport {
        objects = List.copyOf(objects);
        millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }
}
