package io.meshfl.registry.api;

/**
 * The answer to {@code POST /rounds/{roundId}/expire}: the round that missed its quorum (FAILED, its reason naming the
 * numbers and the missing domains) and the round opened in its place on the same global model ({@code null} when the
 * policy says {@code onQuorumMissed: stop}). Repeating the call answers the same.
 */
public record ExpiredRound(RoundView failed, RoundView next) {
}
