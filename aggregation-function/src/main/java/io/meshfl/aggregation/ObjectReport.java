package io.meshfl.aggregation;

/**
 * What the function did with one object named in an event. {@code globalModelKey} is set when this invocation
 * aggregated the round the update belongs to and wrote its new global model.
 */
public record ObjectReport(String key, String etag, Outcome outcome, String detail, String globalModelKey) {

    public ObjectReport(String key, String etag, Outcome outcome, String detail) {
        this(key, etag, outcome, detail, null);
    }

    public ObjectReport aggregatedInto(String globalModelKey) {
        return new ObjectReport(key, etag, outcome, detail, globalModelKey);
    }

    public enum Outcome {
        /** Not a domain's update (the function's own writes, data products, anything else), or no round for it. */
        IGNORED,
        /** Validated, signature verified, registered ACCEPTED. */
        ACCEPTED,
        /** Registered REJECTED; {@code detail} is the reason (also stored in the registry). */
        REJECTED,
        /** Already registered for this round (same key and ETag, or an earlier file of the domain): nothing changed. */
        DUPLICATE,
        /** For a round that is over; the registry has no record of it by number, so nothing was registered. */
        LATE,
        /** The object changed or disappeared since the event: the event for its current version counts, not this. */
        SUPERSEDED,
        /**
         * An object of a sharded round's tree: {@code detail} names the node it completed and what that node did (or
         * that the node still waits for other inputs).
         */
        NODE
    }
}
