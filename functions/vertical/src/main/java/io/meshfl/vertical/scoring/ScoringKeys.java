package io.meshfl.vertical.scoring;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes an object-created event of a scoring (core's {@link ObjectKeys} layout): a request triggers every party of
 * its session, an embedding or a refusal triggers the head. Scores and outcomes trigger nothing.
 */
public final class ScoringKeys {

    private static final String ID = ResourceId.REGEX;
    private static final Pattern REQUEST = Pattern.compile("models/(" + ID + ")/scorings/(" + ID + ")/request\\.json");
    private static final Pattern FROM_PARTY = Pattern.compile("models/(" + ID + ")/scorings/(" + ID
            + ")/(embeddings|refusals)/(" + ID + ")\\.(safetensors|json)");

    private ScoringKeys() {
    }

    public enum Kind { REQUEST, EMBEDDING, REFUSAL }

    /** A parsed scoring key; {@code party} is empty for a request. */
    public record ScoringKey(String model, String scoring, Kind kind, String party) {
    }

    /** The scoring object {@code key} names, or empty for any other key. */
    public static Optional<ScoringKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = REQUEST.matcher(key);
        if (m.matches()) {
            return Optional.of(new ScoringKey(m.group(1), m.group(2), Kind.REQUEST, ""));
        }
        m = FROM_PARTY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean embedding = m.group(3).equals("embeddings");
        // The party id may itself contain dots: the key must be exactly the one the party writes.
        String party = m.group(4);
        String expected = embedding ? ObjectKeys.scoringEmbedding(m.group(1), m.group(2), party)
                : ObjectKeys.scoringRefusal(m.group(1), m.group(2), party);
        if (!expected.equals(key) || party.endsWith(".safetensors") || party.endsWith(".json")) {
            return Optional.empty();
        }
        return Optional.of(new ScoringKey(m.group(1), m.group(2), embedding ? Kind.EMBEDDING : Kind.REFUSAL, party));
    }
}
