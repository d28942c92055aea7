package io.meshfl.registry.api;


/** The registry's answer to a completion: the round just closed and the one it opened. */
public record CompletedRound(RoundView closed, RoundView next) {
}
