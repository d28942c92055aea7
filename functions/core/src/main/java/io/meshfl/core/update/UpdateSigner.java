package io.meshfl.core.update;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Signs updates with a domain's Ed25519 private key (the JDK's own implementation). */
public final class UpdateSigner {

    private final PrivateKey key;

    public UpdateSigner(PrivateKey key) {
        this.key = key;
    }

    /** A signer for a PKCS#8 Ed25519 private key, Base64-encoded. */
    public static UpdateSigner fromPkcs8Base64(String privateKey) {
        try {
            byte[] encoded = Base64.getDecoder().decode(privateKey.strip());
            return new UpdateSigner(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a Base64 PKCS#8 Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** Base64 Ed25519 signature of {@code payload} (an update's {@link SigningPayload}). */
    public String sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(payload);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed with a valid key", e);
        }
    }
}
