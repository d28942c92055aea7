package io.meshfl.aggregation;

/** What the function did with one object named in an event. */
public record ObjectReport(String key, String etag, Outcome outcome, String detail) {

    public enum Outcome {
        /** Not a domain's update (the function's own writes, data products, anything else): nothing to do. */
        IGNORED,
        /** A domain's update key, recognised and handed to round processing. */
        RECEIVED
    }
}
