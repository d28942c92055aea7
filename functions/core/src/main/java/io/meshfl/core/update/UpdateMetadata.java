package io.meshfl.core.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code __metadata__} every MeshFL update carries. {@code baseModelSha256} is the SHA-256 of the data section
 * of the global model the update was trained from (the checksum the registry records for it); {@code sha256} is
 * the lower-case hex SHA-256 of the update's own data section; {@code metrics} is a JSON object (as a string) of
 * the domain's local evaluation; {@code signature} is the Base64 Ed25519 signature, by the domain's key, of the
 * {@link SigningPayload} of the file (all metadata but the signature, and the tensor layout), under the scheme
 * named by {@code signature_scheme}.
 */
public record UpdateMetadata(String model, String domain, long baseRound, String baseModelSha256, long numExamples,
                             String metrics, String sha256, String signature) {

    public static final String SIGNATURE_SCHEME = "signature_scheme";
    public static final String MODEL = "model";
    public static final String DOMAIN = "domain";
    public static final String BASE_ROUND = "base_round";
    public static final String BASE_MODEL_SHA256 = "base_model_sha256";
    public static final String NUM_EXAMPLES = "num_examples";
    public static final String METRICS = "metrics";
    public static final String SHA256 = "sha256";
    public static final String SIGNATURE = "signature";

    /** The keys MeshFL writes; a file with none of them but {@code num_examples} is a plain weights file. */
    public static final List<String> KEYS = List.of(SIGNATURE_SCHEME, MODEL, DOMAIN, BASE_ROUND, BASE_MODEL_SHA256,
            NUM_EXAMPLES, METRICS, SHA256, SIGNATURE);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    // Canonical decimal only: "+5", "05" and " 5" parse in Java and Python alike but are not how numbers are written.
    private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public UpdateMetadata {
        Objects.requireNonNull(model, MODEL);
        Objects.requireNonNull(domain, DOMAIN);
        Objects.requireNonNull(metrics, METRICS);
        Objects.requireNonNull(baseModelSha256, BASE_MODEL_SHA256);
        if (numExamples <= 0) {
            throw new IllegalArgumentException(NUM_EXAMPLES + " must be positive, was " + numExamples);
        }
        if (baseRound < 1) {
            throw new IllegalArgumentException(BASE_ROUND + " must be at least 1, was " + baseRound);
        }
        if (!SHA256_HEX.matcher(baseModelSha256).matches()) {
            throw new IllegalArgumentException(BASE_MODEL_SHA256 + " must be 64 lower-case hex digits, was '"
                    + baseModelSha256 + "'");
        }
        if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException(SHA256 + " must be 64 lower-case hex digits, was '" + sha256 + "'");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(metrics);
        } catch (Exception e) {
            throw new IllegalArgumentException(METRICS + " is not JSON: " + e.getMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException(METRICS + " must be a JSON object, was '" + metrics + "'");
        }
    }

    /** Metadata of an update not yet written: the writer fills in {@code sha256} and {@code signature}. */
    public static UpdateMetadata unsigned(String model, String domain, long baseRound, String baseModelSha256,
                                          long numExamples, String metrics) {
        return new UpdateMetadata(model, domain, baseRound, baseModelSha256, numExamples, metrics, null, null);
    }

    public UpdateMetadata signed(String sha256, String signature) {
        return new UpdateMetadata(model, domain, baseRound, baseModelSha256, numExamples, metrics, sha256, signature);
    }

    /**
     * Parses a file's {@code __metadata__}, refusing a signature scheme other than {@link SigningPayload#SCHEME}
     * first (an older file then fails for that reason, not for a key it could not know).
     *
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static UpdateMetadata fromMap(Map<String, String> metadata) {
        if (!isPresentIn(metadata)) {
            throw new IllegalArgumentException("__metadata__ holds no MeshFL update metadata (" + String.join(", ",
                    KEYS.stream().filter(k -> !k.equals(NUM_EXAMPLES)).toList()) + ")");
        }
        String scheme = metadata.get(SIGNATURE_SCHEME);
        if (scheme == null) {
            throw new IllegalArgumentException("__metadata__ has no '" + SIGNATURE_SCHEME + "': an update signed "
                    + "under meshfl-update-v1, whose signature does not cover model, domain, base_round, "
                    + "num_examples or metrics, is no longer accepted; sign it under " + SigningPayload.SCHEME);
        }
        if (!scheme.equals(SigningPayload.SCHEME)) {
            throw new IllegalArgumentException("unknown " + SIGNATURE_SCHEME + " '" + scheme + "': this reader verifies "
                    + SigningPayload.SCHEME + " only");
        }
        return new UpdateMetadata(required(metadata, MODEL), required(metadata, DOMAIN),
                number(metadata, BASE_ROUND), required(metadata, BASE_MODEL_SHA256), number(metadata, NUM_EXAMPLES),
                required(metadata, METRICS), required(metadata, SHA256), required(metadata, SIGNATURE));
    }

    /** True if {@code metadata} holds any key MeshFL writes other than {@code num_examples}. */
    public static boolean isPresentIn(Map<String, String> metadata) {
        return KEYS.stream().anyMatch(key -> !key.equals(NUM_EXAMPLES) && metadata.containsKey(key));
    }

    /** The {@code __metadata__} map; keys whose value is not known yet are left out. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SIGNATURE_SCHEME, SigningPayload.SCHEME);
        map.put(MODEL, model);
        map.put(DOMAIN, domain);
        map.put(BASE_ROUND, Long.toString(baseRound));
        map.put(BASE_MODEL_SHA256, baseModelSha256);
        map.put(NUM_EXAMPLES, Long.toString(numExamples));
        map.put(METRICS, metrics);
        if (sha256 != null) {
            map.put(SHA256, sha256);
        }
        if (signature != null) {
            map.put(SIGNATURE, signature);
        }
        return map;
    }

    /**
     * The {@code num_examples} of a plain weights file (no MeshFL metadata), as PyTorch and Flower users write it.
     *
     * @throws IllegalArgumentException if it is missing, not a canonical integer, or not positive
     */
    public static long plainNumExamples(Map<String, String> metadata) {
        long value = number(metadata, NUM_EXAMPLES);
        if (value <= 0) {
            throw new IllegalArgumentException(NUM_EXAMPLES + " must be positive, was " + value);
        }
        return value;
    }

    private static String required(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException("__metadata__ has no '" + key + "'");
        }
        return value;
    }

    private static long number(Map<String, String> metadata, String key) {
        String value = required(metadata, key);
        try {
            if (!INTEGER.matcher(value).matches()) {
                throw new NumberFormatException(value);
            }
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("__metadata__ '" + key + "' is not an integer: '" + value + "'");
        }
    }
}
