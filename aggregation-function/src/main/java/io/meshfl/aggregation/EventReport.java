package io.meshfl.aggregation;

import java.util.List;

/** The function's answer to one event: a report per object the event named as created. */
public record EventReport(List<ObjectReport> objects) {

    public EventReport {
        objects = List.copyOf(objects);
    }
}
