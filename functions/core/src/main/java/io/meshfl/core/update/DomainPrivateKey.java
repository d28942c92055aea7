package io.meshfl.core.update;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a domain's Ed25519 private key as operators store it: PKCS#8 PEM, exactly what
 * {@code openssl genpkey -algorithm ed25519} writes ({@code -----BEGIN PRIVATE KEY-----}), or the bare Base64 of the
 * same DER bytes (what {@link DomainKeyPair} and the local mesh hand over). Other PEM kinds are refused by name, since
 * their bytes are not PKCS#8.
 */
public final class DomainPrivateKey {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private DomainPrivateKey() {
    }

    /** @throws IllegalArgumentException naming what the text is instead; never quoting the key */
    public static PrivateKey parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no Ed25519 private key given (empty)");
        }
        String trimmed = text.strip();
        String base64;
        if (trimmed.startsWith(BEGIN)) {
            int end = trimmed.indexOf(END);
            if (end < 0) {
                throw new IllegalArgumentException("PEM private key without its " + END + " line");
            }
            base64 = trimmed.substring(BEGIN.length(), end);
        } else if (trimmed.startsWith("-----BEGIN ")) {
            String kind = trimmed.substring("-----BEGIN ".length(), Math.max(trimmed.indexOf("-----", 11),
                    "-----BEGIN ".length()));
            throw new IllegalArgumentException("a PEM '" + kind + "' is not an unencrypted PKCS#8 private key "
                    + "(expected " + BEGIN + ", as openssl genpkey -algorithm ed25519 writes it)");
        } else {
            base64 = trimmed;
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key in PKCS#8 (PEM or Base64 DER): "
                    + e.getMessage(), e);
        }
    }
}
