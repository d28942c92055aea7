package io.meshfl.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The digest of a vertical model's scoring request ({@link ObjectKeys#scoringRequest}): SHA-256, hex, over
 * {@code meshfl-scoring-v1}, the model, the scoring id, the PSI session and the round whose version is scored (one
 * per line), then every pseudonym in the request's (sorted) order, one per line. The registry computes it when it
 * records a scoring, the parties sign their embeddings with it and the head checks it, so they all agree on what was
 * asked without comparing the pseudonyms themselves.
 */
public final class ScoringDigest {

    private ScoringDigest() {
    }

    public static String of(String model, String scoring, String session, int round, List<String> pseudonyms) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("meshfl-scoring-v1\n" + model + "\n" + scoring + "\n" + session + "\n" + round + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String pseudonym : pseudonyms) {
                sha.update(pseudonym.getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
