package io.meshfl.vertical.scoring;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import io.meshfl.core.keys.ScoringDigest;
import io.meshfl.core.objectstore.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a scoring asks ({@code models/{m}/scorings/{s}/request.json}, version 1, written once by the governance side):
 * score {@code pseudonyms} of PSI session {@code session} with the model version that vertical round {@code round}
 * produced (the parties' and the head's states after its last window; the round must have COMPLETED).
 *
 * <p>The pseudonyms are sorted and distinct, and the scores come back in that order. {@code digest} binds everything
 * else: every party signs its embeddings with it, so an embedding made for another scoring, version, session or
 * batch is refused by the head.
 */
public record ScoringRequest(int version, String model, String scoring, String session, int round,
                             List<String> pseudonyms, String digest) {

    /** The most pseudonyms one scoring may name (a request of this size is about 6.6 MB of JSON). */
    public static final int MAX_PSEUDONYMS = 100_000;

    private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /**
     * @throws IllegalArgumentException naming the field: an id that is not one, a round below 1, no pseudonym or too
     *     many, one that is not a pseudonym (64 lower-case hex), repeated or out of order, or a digest that is not
     *     the digest of the rest
     */
    public ScoringRequest {
        if (version != 1) {
            throw new IllegalArgumentException("scoring request: version must be 1, got " + version);
        }
        ResourceId.require(model, "model");
        ResourceId.require(scoring, "scoring");
        ResourceId.require(session, "PSI session");
        if (round < 1) {
            throw new IllegalArgumentException("scoring request '" + scoring + "': round must be a completed round"
                    + " (from 1), got " + round);
        }
        if (pseudonyms == null || pseudonyms.isEmpty()) {
            throw new IllegalArgumentException("scoring request '" + scoring + "': no pseudonym to score");
        }
        if (pseudonyms.size() > MAX_PSEUDONYMS) {
            throw new IllegalArgumentException("scoring request '" + scoring + "': " + pseudonyms.size()
                    + " pseudonyms, at most " + MAX_PSEUDONYMS);
        }
        pseudonyms = List.copyOf(pseudonyms);
        for (int i = 0; i < pseudonyms.size(); i++) {
            String p = pseudonyms.get(i);
            if (!PSEUDONYM.matcher(p).matches()) {
                throw new IllegalArgumentException("scoring request '" + scoring + "': pseudonyms[" + i
                        + "] is not a pseudonym (64 lower-case hex digits)");
            }
            if (i > 0 && pseudonyms.get(i - 1).compareTo(p) >= 0) {
                throw new IllegalArgumentException("scoring request '" + scoring + "': pseudonyms[" + i
                        + "] is repeated or out of order (they are sorted and distinct)");
            }
        }
        String expected = digest(model, scoring, session, round, pseudonyms);
        if (!expected.equals(digest)) {
            throw new IllegalArgumentException("scoring request '" + scoring + "': digest '" + digest
                    + "' is not the digest of its fields ('" + expected + "')");
        }
    }

    /** A request for {@code pseudonyms} (any order, no repeats), sorted and with its digest. */
    public static ScoringRequest of(String model, String scoring, String session, int round,
            List<String> pseudonyms) {
        List<String> sorted = pseudonyms.stream().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("scoring '" + scoring + "': a pseudonym is named twice");
            }
        }
        return new ScoringRequest(1, model, scoring, session, round, sorted,
                digest(model, scoring, session, round, sorted));
    }

    public String key() {
        return ObjectKeys.scoringRequest(model, scoring);
    }

    /** Stores the request unless one is there; true if this call stored it (a scoring's request never changes). */
    public boolean writeOnce(ObjectStore store) {
        try {
            Path file = Files.createTempFile("meshfl-scoring-", ".json");
            try {
                Files.write(file, JSON.writeValueAsBytes(this));
                return store.putIfAbsent(key(), file, Map.of()).isPresent();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store '" + key() + "'", e);
        }
    }

    /**
     * The request of scoring {@code scoring}, if there is one.
     *
     * @throws IllegalArgumentException naming the key and the field if it is not a valid request for that scoring
     */
    public static Optional<ScoringRequest> read(ObjectStore store, String model, String scoring) {
        String key = ObjectKeys.scoringRequest(model, scoring);
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        ScoringRequest request;
        try {
            request = JSON.readValue(store.read(key), ScoringRequest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + key + "' is not a scoring request: "
                    + (e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage() : e.getMessage()), e);
        }
        if (!request.model().equals(model) || !request.scoring().equals(scoring)) {
            throw new IllegalArgumentException("'" + key + "' names model '" + request.model() + "' and scoring '"
                    + request.scoring() + "', not those of its key");
        }
        return Optional.of(request);
    }

    /** The request's digest ({@link ScoringDigest}: the fields and the sorted pseudonyms, SHA-256 hex). */
    public static String digest(String model, String scoring, String session, int round, List<String> pseudonyms) {
        return ScoringDigest.of(model, scoring, session, round, pseudonyms);
    }
}
