package io.meshfl.core.update;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Checks an update's signature against the public key the registry holds for its domain. */
public final class SignatureVerifier {

    private final PublicKey key;

    public SignatureVerifier(PublicKey key) {
        this.key = key;
    }

    /** A verifier for an Ed25519 public key as X.509 SubjectPublicKeyInfo, Base64 (the registry's form). */
    public static SignatureVerifier fromX509Base64(String publicKey) {
        try {
            byte[] encoded = Base64.getDecoder().decode(publicKey.strip());
            return new SignatureVerifier(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a Base64 X.509 Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** True if {@code signatureBase64} is this key's signature of {@code payload}; false for any malformed input. */
    public boolean verify(byte[] payload, String signatureBase64) {
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(payload);
            return signature.verify(signatureBytes);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 verification unavailable", e);
        }
    }
}
