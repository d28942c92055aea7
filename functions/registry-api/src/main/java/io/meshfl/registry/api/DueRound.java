package io.meshfl.registry.api;

/**
 * A round the registry says needs an action now ({@code GET /rounds/due}), judged on the registry database's clock:
 * what the scheduled sweeper does for deadlines and expired leases that no object event will trigger.
 */
public record DueRound(RoundView round, Action action) {

    public enum Action {
        /** OPEN and due to close: every expected domain is in, the maximum is reached, or the deadline passed with the quorum. */
        AGGREGATE,
        /** AGGREGATING, but its holder's lease ran out: another caller may close it again and finish the work. */
        TAKE_OVER,
        /** OPEN past its deadline below the quorum: to be failed (and, with retry, followed by the next round). */
        EXPIRE
    }
}
