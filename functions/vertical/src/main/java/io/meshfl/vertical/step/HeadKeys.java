package io.meshfl.vertical.step;

import io.meshfl.core.update.SignatureVerifier;

/**
 * The head owner's public key as it was in each round (a deployment reads it from the registry's record of the
 * round): a round's outcome carries the signature of the key of its own round, which may have rotated since.
 */
@FunctionalInterface
public interface HeadKeys {

    SignatureVerifier ofRound(int round);

    /** One key for every round (no rotation). */
    static HeadKeys always(SignatureVerifier key) {
        return round -> key;
    }
}
