package io.meshfl.registry.api;

import java.util.List;

/**
 * {@code POST /vertical-models/{id}/scorings}: score {@code pseudonyms} of PSI session {@code session} with model
 * version {@code version} (a version a COMPLETED round produced; absent: the newest).
 */
public record VerticalScoringRequest(String session, Integer version, List<String> pseudonyms) {
}
