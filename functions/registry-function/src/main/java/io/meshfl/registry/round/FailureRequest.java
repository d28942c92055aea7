package io.meshfl.registry.round;

/** Why a round ends without a new global model. */
public record FailureRequest(String reason) {
}
