package io.meshfl.registry.round;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A round that missed its quorum (now FAILED) and the round that replaced it (absent with onQuorumMissed: stop). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExpiryResult(RoundView failed, RoundView next) {
}
