package io.meshfl.registry.round;

/**
 * The body of {@code POST /models/{id}/rounds}. {@code globalModelChecksum}: the data SHA-256 (64 lower-case hex) of
 * the governance's initial {@code global/1}, recorded with version 1 so that every reader can check the object
 * before use; ignored when a later round opens from a version the aggregation recorded.
 */
public record RoundOpening(String globalModelChecksum) {
}
