package io.meshfl.runtime.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The registry's answer to a completion: the round just closed and the one it opened. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompletedRound(RoundView closed, RoundView next) {
}
