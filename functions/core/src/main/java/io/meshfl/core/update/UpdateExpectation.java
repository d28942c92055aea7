package io.meshfl.core.update;

/**
 * Who an update must come from and what it may claim. Null fields are not checked: the aggregation function sets
 * the identity (the domain from the object key, its public key from the registry); the command line checks
 * structure and data only.
 *
 * @param baseModelSha256 the checksum the registry recorded for the round's global model; null: the validator
 *     compares {@code base_model_sha256} with the global model it was given, if any
 * @param maxExamples the largest {@code num_examples} this update may claim — the hook for the registry's bound
 *     (the enrolled data product's recorded record count, a policy cap, whichever is smaller); null: no cap
 * @param allowPlainFiles accept a plain safetensors file whose {@code __metadata__} holds only {@code num_examples}
 *     (as PyTorch and Flower users write them); MeshFL metadata, when present, is still checked in full
 */
public record UpdateExpectation(String model, String domain, Long baseRound, SignatureVerifier verifier,
                                String baseModelSha256, Long maxExamples, boolean allowPlainFiles) {

    public UpdateExpectation {
        if (maxExamples != null && maxExamples < 1) {
            throw new IllegalArgumentException("maxExamples must be at least 1, was " + maxExamples);
        }
    }

    /** The identity of a MeshFL update, no cap on its example count. */
    public UpdateExpectation(String model, String domain, Long baseRound, SignatureVerifier verifier) {
        this(model, domain, baseRound, verifier, null, null, false);
    }

    /** Checks the file only: manifest, values, norm and the declared SHA-256, not identity or signature. */
    public static UpdateExpectation anySender() {
        return new UpdateExpectation(null, null, null, null);
    }

    /** As {@link #anySender()}, also accepting plain safetensors files weighted by their {@code num_examples}. */
    public static UpdateExpectation anySenderOrPlainFile() {
        return new UpdateExpectation(null, null, null, null, null, null, true);
    }

    /** This expectation with an upper bound on {@code num_examples}. */
    public UpdateExpectation withMaxExamples(long max) {
        return new UpdateExpectation(model, domain, baseRound, verifier, baseModelSha256, max, allowPlainFiles);
    }

    /** This expectation with the registry's recorded checksum of the round's global model. */
    public UpdateExpectation withBaseModelSha256(String sha256) {
        return new UpdateExpectation(model, domain, baseRound, verifier, sha256, maxExamples, allowPlainFiles);
    }
}
