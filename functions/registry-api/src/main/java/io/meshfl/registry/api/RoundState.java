package io.meshfl.registry.api;

/** Where a round stands. */
public enum RoundState {
    /** Taking updates. */
    OPEN,
    /** Closed to updates; one caller holds a lease to aggregate it. */
    AGGREGATING,
    /** Aggregated: its global model is written and the next round is open. */
    CLOSED,
    /** Ended without a new global model. */
    FAILED
}
