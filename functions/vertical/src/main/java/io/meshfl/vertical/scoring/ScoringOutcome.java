package io.meshfl.vertical.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How a scoring ended, stored once under {@code models/{m}/scorings/{s}/outcome.json} by the head: {@code DONE} with
 * the scores' key and count, or {@code FAILED} with the reason (a party refused, an embedding was refused, the version
 * is unknown). The first write wins ({@code If-None-Match: *}), so every reader sees one answer.
 */
public record ScoringOutcome(String model, String scoring, Status status, int count, String scoresKey,
                             String reason) {

    public enum Status { DONE, FAILED }

    private static final ObjectMapper JSON = new ObjectMapper();

    static ScoringOutcome done(ScoringRequest request) {
        return new ScoringOutcome(request.model(), request.scoring(), Status.DONE, request.pseudonyms().size(),
                ObjectKeys.scoringScores(request.model(), request.scoring()), "");
    }

    static ScoringOutcome failed(ScoringRequest request, String reason) {
        return new ScoringOutcome(request.model(), request.scoring(), Status.FAILED, request.pseudonyms().size(), "",
                reason);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** Stores this outcome unless one is there; the outcome stored afterwards (this one or the earlier one). */
    ScoringOutcome settle(ObjectStore store) {
        String key = ObjectKeys.scoringOutcome(model, scoring);
        try {
            Path file = Files.createTempFile("meshfl-scoring-", ".json");
            try {
                Files.write(file, JSON.writeValueAsBytes(this));
                if (store.putIfAbsent(key, file, Map.of()).isPresent()) {
                    return this;
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store '" + key + "'", e);
        }
        return read(store, model, scoring).orElseThrow(() -> new IllegalStateException("'" + key
                + "' was refused as present and is now absent: outcomes are never deleted"));
    }

    public static Optional<ScoringOutcome> read(ObjectStore store, String model, String scoring) {
        String key = ObjectKeys.scoringOutcome(model, scoring);
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(store.read(key), ScoringOutcome.class));
        } catch (IOException e) {
            throw new UncheckedIOException("'" + key + "' is not a scoring outcome", e);
        }
    }
}
