package io.meshfl.registry.api;

/** One pass of the registry's round-event relay ({@code POST /events/relay}): events sent, failed, now DEAD. */
public record EventRelay(int sent, int failed, int dead) {
}
