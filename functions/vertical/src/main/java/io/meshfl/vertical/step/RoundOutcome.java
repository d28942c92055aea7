package io.meshfl.vertical.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.SigningPayload;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.step.StepTensors.StepRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a vertical round ended, stored once under {@code models/{m}/vrounds/{r}/outcome.json}: {@code COMPLETED} (the
 * head stepped every window) or {@code FAILED} with a reason naming what was missing at the deadline. The first write
 * wins ({@code If-None-Match: *}); a head that completes after a failure was recorded does not un-fail the round.
 *
 * <p>Signed by the head owner, as its gradients are: the object carries the head's Ed25519 signature over every field
 * (core's {@link SigningPayload} of the fields as metadata, no tensors, with {@code kind} {@value #KIND} so that it can
 * never stand for a gradient or an update). Every reader verifies it with the head owner's public key and checks that
 * it names the model and round it was read for, so an outcome written by anyone else (whoever could write the key:
 * a misconfigured policy, the bucket account's root) or copied from another round is refused, never believed.
 *
 * @param window the first window that did not complete (failed rounds), or the number of windows (completed ones)
 * @param missing the parties whose embeddings were missing from that window (failed rounds)
 */
public record RoundOutcome(String model, int round, Status status, int window, List<String> missing, String reason) {

    public enum Status { COMPLETED, FAILED }

    /** The {@code kind} the signed payload names. */
    static final String KIND = "vertical_outcome";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RoundOutcome {
        missing = List.copyOf(missing);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** The stored form: the outcome's fields and the head owner's signature over them. */
    private record Signed(String model, int round, Status status, int window, List<String> missing, String reason,
                          String signature) {
    }

    /**
     * Signs and stores this outcome unless one is there; returns the outcome that is stored afterwards (this or the
     * earlier one, verified with {@code head}).
     */
    RoundOutcome settle(ObjectStore store, UpdateSigner signer, SignatureVerifier head) {
        String key = ObjectKeys.verticalRoundOutcome(model, round);
        try {
            Signed signed = new Signed(model, round, status, window, missing, reason, signer.sign(payload()));
            if (WriteOnce.put(store, key, JSON.writeValueAsBytes(signed))) {
                return this;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode the outcome of round " + round, e);
        }
        return read(store, model, round, head).orElseThrow(() -> new IllegalStateException("'" + key
                + "' was refused as present and is now absent: outcomes are never deleted"));
    }

    /**
     * The outcome of round {@code round} of {@code model}, if one is stored.
     *
     * @param head the head owner's public key
     * @throws StepRejectedException if the stored object is not an outcome the head owner signed for this model and
     *                               round (forged, altered, unsigned, or copied from another round)
     */
    public static Optional<RoundOutcome> read(ObjectStore store, String model, int round, SignatureVerifier head) {
        String key = ObjectKeys.verticalRoundOutcome(model, round);
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        Signed signed;
        try {
            signed = JSON.readValue(new String(store.read(key), StandardCharsets.UTF_8), Signed.class);
        } catch (IOException e) {
            throw new StepRejectedException(key, "it is not a vertical round outcome: " + e.getMessage());
        }
        if (signed.status() == null || signed.missing() == null || signed.reason() == null || signed.model() == null) {
            throw new StepRejectedException(key, "it lacks one of model, status, missing, reason");
        }
        RoundOutcome outcome = new RoundOutcome(signed.model(), signed.round(), signed.status(), signed.window(),
                signed.missing(), signed.reason());
        if (signed.signature() == null || !head.verify(outcome.payload(), signed.signature())) {
            throw new StepRejectedException(key, "its signature is not the head owner's");
        }
        if (!outcome.model().equals(model) || outcome.round() != round) {
            throw new StepRejectedException(key, "it is the outcome of round " + outcome.round() + " of model '"
                    + outcome.model() + "', not of round " + round + " of '" + model + "'");
        }
        return Optional.of(outcome);
    }

    /** The bytes the head signs: every field, as the metadata of a tensor-less {@link SigningPayload}. */
    private byte[] payload() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", KIND);
        fields.put("model", model);
        fields.put("round", Integer.toString(round));
        fields.put("status", status.name());
        fields.put("window", Integer.toString(window));
        // Party ids are resource ids (no comma): the joined list is unambiguous.
        fields.put("missing", String.join(",", missing));
        fields.put("reason", reason);
        return SigningPayload.of(fields, List.of());
    }
}
