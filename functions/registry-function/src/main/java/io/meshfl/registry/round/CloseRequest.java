package io.meshfl.registry.round;

/** A close attempt: how long the winner holds the round before another close may take it over. */
public record CloseRequest(Long leaseSeconds) {
}
