package io.meshfl.registry.round;

/** A round the sweeper must act on now, and what to do: aggregate it, take it over, or expire it. */
public record DueRound(RoundView round, RoundProgress.Action action) {
}
