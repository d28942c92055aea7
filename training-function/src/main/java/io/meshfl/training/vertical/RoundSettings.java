package io.meshfl.training.vertical;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.vertical.step.Optimiser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One vertical round, as the governance side declares it ({@code models/{model}/vrounds/{round}/round.json},
 * version 1): the PSI session whose alignment it trains on, the deadline, the optimiser, the batch plan (batch size
 * and seed: every party derives the same windows), the networks' widths, and the Ed25519 public keys (X.509, Base64,
 * the registry's form) of every party and of the head owner, which verify embeddings and gradients.
 */
public record RoundSettings(int version, String model, int round, String session, String deadline,
                            OptimiserSettings optimiser, int batchSize, long seed, List<Integer> bottomLayers,
                            List<Integer> headLayers, Map<String, String> publicKeys) {

    /** {@code kind} {@code sgd} or {@code adam}. */
    public record OptimiserSettings(String kind, float learningRate) {

        Optimiser optimiser() {
            return switch (kind == null ? "" : kind) {
                case "sgd" -> Optimiser.sgd(learningRate);
                case "adam" -> Optimiser.adam(learningRate);
                default -> throw new IllegalArgumentException("optimiser.kind must be 'sgd' or 'adam', got '" + kind
                        + "'");
            };
        }
    }

    public RoundSettings {
        String where = "vertical round settings '" + ObjectKeys.verticalRoundSettings(model, round) + "'";
        if (version != 1) {
            throw new IllegalArgumentException(where + ": version must be 1, got " + version);
        }
        ResourceId.require(model, "model");
        ResourceId.require(session, "PSI session");
        if (round < 1) {
            throw new IllegalArgumentException(where + ": rounds are numbered from 1");
        }
        if (deadline == null || optimiser == null || batchSize < 1) {
            throw new IllegalArgumentException(where + ": needs 'deadline', 'optimiser' and a 'batchSize' of at least 1");
        }
        optimiser.optimiser();
        try {
            Instant.parse(deadline);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": deadline '" + deadline + "' is not an ISO-8601 instant", e);
        }
        if (bottomLayers == null || bottomLayers.isEmpty() || headLayers == null || headLayers.isEmpty()
                || headLayers.get(headLayers.size() - 1) != 1
                || bottomLayers.stream().anyMatch(w -> w == null || w < 1)
                || headLayers.stream().anyMatch(w -> w == null || w < 1)) {
            throw new IllegalArgumentException(where + ": 'bottomLayers' and 'headLayers' are positive widths, the head's"
                    + " last is 1 (one logit)");
        }
        bottomLayers = List.copyOf(bottomLayers);
        headLayers = List.copyOf(headLayers);
        publicKeys = new TreeMap<>(publicKeys == null ? Map.of() : publicKeys);
        publicKeys.forEach((owner, key) -> {
            try {
                SignatureVerifier.fromX509Base64(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": publicKeys." + owner + " is " + e.getMessage(), e);
            }
        });
    }

    public Instant deadlineInstant() {
        return Instant.parse(deadline);
    }

    /** The verifier of {@code owner}'s signatures (a party, or the head owner). */
    public SignatureVerifier verifier(String owner) {
        String key = publicKeys.get(owner);
        if (key == null) {
            throw new IllegalArgumentException("vertical round settings '" + ObjectKeys.verticalRoundSettings(model,
                    round) + "' have no publicKeys." + owner);
        }
        return SignatureVerifier.fromX509Base64(key);
    }
}
