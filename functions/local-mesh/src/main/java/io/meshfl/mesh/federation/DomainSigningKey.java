package io.meshfl.mesh.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A domain's Ed25519 key for signing its weight updates. The private key stays in the domain's directory
 * ({@value #PRIVATE_KEY_FILE}, PKCS#8 PEM, readable by the owner only) where only that domain's training function
 * reads it; the registry gets the public key (X.509 SubjectPublicKeyInfo, Base64), which is all the aggregator
 * needs to verify.
 */
public record DomainSigningKey(Path privateKeyPem, PublicKey publicKey) {

    public static final String PRIVATE_KEY_FILE = "signing-key.pem";
    public static final String PUBLIC_KEY_FILE = "signing-key.pub.pem";

    /** The key in {@code dir}, created at first use and reused afterwards (a resumed mesh keeps its identities). */
    public static DomainSigningKey loadOrCreate(Path dir) {
        Path privatePem = dir.resolve(PRIVATE_KEY_FILE);
        Path publicPem = dir.resolve(PUBLIC_KEY_FILE);
        try {
            if (!Files.exists(privatePem) || !Files.exists(publicPem)) {
                Files.createDirectories(dir);
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
                Files.deleteIfExists(privatePem);
                Files.createFile(privatePem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            }
            byte[] encoded = unpem(Files.readString(publicPem, StandardCharsets.US_ASCII));
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            return new DomainSigningKey(privatePem, publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create or read the signing key in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The signing key in " + dir + " is unreadable; delete the directory or run with"
                    + " --fresh", e);
        }
    }

    /** What {@code POST /domains} takes as {@code publicKey}. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /**
     * The private key as Base64 PKCS#8, the form the training function's {@code meshfl.training.signing-key}
     * takes (core's {@code UpdateSigner.fromPkcs8Base64}). Passed to that one process through its environment.
     */
    public String privateKeyBase64() {
        try {
            return Base64.getEncoder().encodeToString(unpem(Files.readString(privateKeyPem, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + privateKeyPem, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", ""));
    }
}
