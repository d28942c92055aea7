package io.meshfl.training.vertical;

import java.util.List;

/** What a vertical event did, per object: {@code action} is what this deployment did, {@code detail} why or how far. */
public record VerticalReport(List<Entry> objects) {

    public record Entry(String key, String action, String detail) {
    }

    public VerticalReport {
        objects = List.copyOf(objects);
    }
}
