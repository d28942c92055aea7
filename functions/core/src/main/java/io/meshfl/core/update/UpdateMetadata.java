package io.meshfl.core.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code __metadata__} every MeshFL update carries. {@code sha256} is the lower-case hex SHA-256 of the raw
 * tensor-data section; {@code signature} is the Base64 Ed25519 signature of that hex string's UTF-8 bytes by
 * the domain's key; {@code metrics} is a JSON object (as a string) of the domain's local evaluation.
 */
public record UpdateMetadata(String model, String domain, long baseRound, long numExamples, String metrics,
                             String sha256, String signature) {

    public static final String MODEL = "model";
    public static final String DOMAIN = "domain";
    public static final String BASE_ROUND = "base_round";
    public static final String NUM_EXAMPLES = "num_examples";
    public static final String METRICS = "metrics";
    public static final String SHA256 = "sha256";
    public static final String SIGNATURE = "signature";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public UpdateMetadata {
        Objects.requireNonNull(model, MODEL);
        Objects.requireNonNull(domain, DOMAIN);
        Objects.requireNonNull(metrics, METRICS);
        if (numExamples <= 0) {
            throw new IllegalArgumentException(NUM_EXAMPLES + " must be positive, was " + numExamples);
        }
        if (baseRound < 1) {
            throw new IllegalArgumentException(BASE_ROUND + " must be at least 1, was " + baseRound);
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
    public static UpdateMetadata unsigned(String model, String domain, long baseRound, long numExamples, String metrics) {
        return new UpdateMetadata(model, domain, baseRound, numExamples, metrics, null, null);
    }

    public UpdateMetadata signed(String sha256, String signature) {
        return new UpdateMetadata(model, domain, baseRound, numExamples, metrics, sha256, signature);
    }

    /**
     * Parses a file's {@code __metadata__}.
     *
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static UpdateMetadata fromMap(Map<String, String> metadata) {
        return new UpdateMetadata(required(metadata, MODEL), required(metadata, DOMAIN),
                number(metadata, BASE_ROUND), number(metadata, NUM_EXAMPLES), required(metadata, METRICS),
                required(metadata, SHA256), required(metadata, SIGNATURE));
    }

    /** The {@code __metadata__} map; keys whose value is not known yet are left out. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(MODEL, model);
        map.put(DOMAIN, domain);
        map.put(BASE_ROUND, Long.toString(baseRound));
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
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("__metadata__ '" + key + "' is not an integer: '" + value + "'");
        }
    }
}
