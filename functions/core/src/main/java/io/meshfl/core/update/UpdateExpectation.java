package io.meshfl.core.update;

/**
 * Who an update must come from. Null fields are not checked: the aggregation function sets them all (the domain
 * from the object key, its public key from the registry); the command line checks structure and data only.
 */
public record UpdateExpectation(String model, String domain, Long baseRound, SignatureVerifier verifier) {

    /** Checks the file only: manifest, values, norm and the declared SHA-256, not identity or signature. */
    public static UpdateExpectation anySender() {
        return new UpdateExpectation(null, null, null, null);
    }
}
