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
 * A party's answer when it cannot embed a scoring's entities ({@code models/{m}/scorings/{s}/refusals/{party}.json},
 * written once instead of its embeddings): its event reaches the head, which records the scoring FAILED with this
 * reason. Only the party may write its own refusal (the bucket policy), so it is not signed; at worst a party fails
 * a scoring, which it can do anyway by never answering.
 */
public record ScoringRefusal(String party, String reason) {

    private static final ObjectMapper JSON = new ObjectMapper();

    boolean writeOnce(ObjectStore store, String model, String scoring) {
        String key = ObjectKeys.scoringRefusal(model, scoring, party);
        try {
            Path file = Files.createTempFile("meshfl-scoring-", ".json");
            try {
                Files.write(file, JSON.writeValueAsBytes(this));
                return store.putIfAbsent(key, file, Map.of()).isPresent();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store '" + key + "'", e);
        }
    }

    static Optional<ScoringRefusal> read(ObjectStore store, String key) {
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(store.read(key), ScoringRefusal.class));
        } catch (IOException e) {
            return Optional.of(new ScoringRefusal("?", "its refusal '" + key + "' is unreadable"));
        }
    }
}
