package io.meshfl.aggregation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The function's answer to one event: a report per object the event named as created, and the milliseconds the
 * invocation spent per phase (read, validate, aggregate, write, registry). {@code unreadable} is set instead when
 * the event could not be read and the binding answers such events with a report (Lambda): it names the error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventReport(List<ObjectReport> objects, Map<String, Double> millis, String unreadable) {

    public EventReport {
        objects = List.copyOf(objects);
        millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }

    public EventReport(List<ObjectReport> objects, Map<String, Double> millis) {
        this(objects, millis, null);
    }

    public static EventReport unreadable(String error) {
        return new EventReport(List.of(), Map.of(), error);
    }
}
