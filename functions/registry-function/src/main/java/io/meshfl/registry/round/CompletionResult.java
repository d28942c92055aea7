package io.meshfl.registry.round;

/** The closed round and the round it opened. */
public record CompletionResult(RoundView closed, RoundView next) {
}
