package io.meshfl.core.update;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * A domain's Ed25519 key pair in the encodings MeshFL exchanges: the public key as Base64 X.509 (what the
 * registry stores), the private key as Base64 PKCS#8 (what only the domain keeps).
 */
public record DomainKeyPair(String publicKeyBase64, String privateKeyBase64) {

    public static DomainKeyPair generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            return new DomainKeyPair(base64.encodeToString(pair.getPublic().getEncoded()),
                    base64.encodeToString(pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime provides Ed25519", e);
        }
    }

    public UpdateSigner signer() {
        return UpdateSigner.fromPkcs8Base64(privateKeyBase64);
    }

    public SignatureVerifier verifier() {
        return SignatureVerifier.fromX509Base64(publicKeyBase64);
    }

    @Override
    public String toString() {
        return "DomainKeyPair[publicKey=" + publicKeyBase64 + ", privateKey=(hidden)]";
    }
}
