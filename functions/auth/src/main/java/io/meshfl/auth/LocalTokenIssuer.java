package io.meshfl.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The federation's token issuer for tests and the local mesh: an RSA key pair kept in a directory and RS256
 * JWTs in the shape the registry expects ({@code sub}, {@code groups}, {@code domain}, {@code iss}, {@code iat},
 * {@code exp}).
 *
 * <p>The key pair is created at first use ({@value #PRIVATE_KEY_FILE}, PKCS#8, and {@value #PUBLIC_KEY_FILE},
 * X.509 SubjectPublicKeyInfo, both PEM) and reused afterwards, so a registry configured with
 * {@code mp.jwt.verify.publickey.location=<dir>/}{@value #PUBLIC_KEY_FILE} keeps accepting tokens minted by any
 * later issuer on the same directory, in this process or another one. The keys are secrets of one machine:
 * never commit the directory.
 */
public final class LocalTokenIssuer {

    public static final String PRIVATE_KEY_FILE = "jwt-private-key.pem";
    public static final String PUBLIC_KEY_FILE = "jwt-public-key.pem";
    /** The {@code iss} claim unless told otherwise; the registry's {@code mp.jwt.verify.issuer} must match. */
    public static final String DEFAULT_ISSUER = "https://meshfl.local/issuer";
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

    /** The roles the registry knows (the {@code groups} claim). */
    public static final String GOVERNANCE = "governance";
    public static final String DOMAIN = "domain";
    public static final String FUNCTION = "function";

    /** Serialises key creation between issuers of this JVM; the file lock does it between processes. */
    private static final Object KEY_CREATION = new Object();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a token says. {@code domain} is null for roles other than {@code domain}. */
    public record Claims(String subject, Set<String> groups, String domain, Instant issuedAt, Instant expiresAt) {
    }

    private final Path directory;
    private final String issuer;
    private final PrivateKey privateKey;

    private LocalTokenIssuer(Path directory, String issuer, PrivateKey privateKey) {
        this.directory = directory;
        this.issuer = issuer;
        this.privateKey = privateKey;
    }

    /** An issuer named {@link #DEFAULT_ISSUER} with its keys in {@code directory} (created if needed). */
    public static LocalTokenIssuer inDirectory(Path directory) {
        return inDirectory(directory, DEFAULT_ISSUER);
    }

    /** An issuer with its keys in {@code directory}, created there at first use and reused afterwards. */
    public static LocalTokenIssuer inDirectory(Path directory, String issuer) {
        try {
            Files.createDirectories(directory);
            synchronized (KEY_CREATION) {
                try (FileChannel lock = FileChannel.open(directory.resolve(".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     var held = lock.lock()) {
                    Path privatePem = directory.resolve(PRIVATE_KEY_FILE);
                    if (!Files.exists(privatePem)) {
                        createKeyPair(directory);
                    }
                    return new LocalTokenIssuer(directory, issuer, readPrivateKey(privatePem));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create or read the token keys in " + directory, e);
        }
    }

    /** The PEM file the registry verifies tokens with ({@code mp.jwt.verify.publickey.location}). */
    public Path publicKeyPem() {
        return directory.resolve(PUBLIC_KEY_FILE);
    }

    public String issuer() {
        return issuer;
    }

    /** A token for the federation's governance, valid for {@link #DEFAULT_LIFETIME}. */
    public String governance() {
        return mint(claims(GOVERNANCE, Set.of(GOVERNANCE), null));
    }

    /** A token for a function (aggregation), valid for {@link #DEFAULT_LIFETIME}. */
    public String function() {
        return mint(claims(FUNCTION, Set.of(FUNCTION), null));
    }

    /** A token that may act for {@code domain} only, valid for {@link #DEFAULT_LIFETIME}. */
    public String domain(String domain) {
        return mint(claims(domain, Set.of(DOMAIN), domain));
    }

    /** A signed RS256 JWT carrying exactly these claims (an expired one too, if asked for: tests need them). */
    public String mint(Claims claims) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        ObjectNode payload = JSON.createObjectNode()
                .put("iss", issuer)
                .put("sub", claims.subject())
                .put("jti", UUID.randomUUID().toString())
                .put("iat", claims.issuedAt().getEpochSecond())
                .put("exp", claims.expiresAt().getEpochSecond());
        var groups = payload.putArray("groups");
        claims.groups().stream().sorted().forEach(groups::add);
        if (claims.domain() != null) {
            payload.put("domain", claims.domain());
        }
        try {
            String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(payload));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a token with the key in " + directory, e);
        }
    }

    private static Claims claims(String subject, Set<String> groups, String domain) {
        Instant now = Instant.now();
        return new Claims(subject, groups, domain, now, now.plus(DEFAULT_LIFETIME));
    }

    private static void createKeyPair(Path directory) throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot generate RSA keys", e);
        }
        // The public key lands first: whoever sees the private key file may rely on the public one.
        writeAtomically(directory.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        writeAtomically(directory.resolve(PRIVATE_KEY_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    private static PrivateKey readPrivateKey(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(fromPem(Files.readString(pem))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Not an RSA private key in PKCS#8 PEM: " + pem
                    + " (delete the directory's key files to create new ones)", e);
        }
    }

    /** Reads a public key PEM as written by this class (for verifying in tests and tools). */
    public static PublicKey readPublicKey(Path pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(fromPem(Files.readString(pem))));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pem, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Not an RSA public key in X.509 PEM: " + pem, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] fromPem(String pem) {
        String body = List.of(pem.split("\n")).stream()
                .filter(line -> !line.startsWith("-----"))
                .reduce("", String::concat)
                .strip();
        return Base64.getMimeDecoder().decode(body);
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
