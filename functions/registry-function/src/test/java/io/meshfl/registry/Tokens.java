package io.meshfl.registry;

import io.meshfl.auth.LocalTokenIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/** The test issuer the registry under test trusts ({@link TokenTestResource}), and tokens from it. */
public final class Tokens {

    private static LocalTokenIssuer issuer;

    private Tokens() {
    }

    public static synchronized LocalTokenIssuer issuer() {
        if (issuer == null) {
            String workDir = System.getProperty("meshfl.test.work-dir", "target/test-work");
            issuer = LocalTokenIssuer.inDirectory(Path.of(workDir, "registry-jwt"));
        }
        return issuer;
    }

    public static String governance() {
        return issuer().governance();
    }

    public static String function() {
        return issuer().function();
    }

    public static String domain(String domain) {
        return issuer().domain(domain);
    }

    /**
     * A validly signed domain token whose {@code domain} claim is the given raw JSON ({@code ["a","b"]}, {@code 7}):
     * what a careless or hostile issuer could sign, and the issuer's API cannot express.
     */
    public static String domainWithRawClaim(String rawDomainClaim) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = """
                {"iss":"%s","sub":"odd","jti":"%s","iat":%d,"exp":%d,"groups":["domain"],"domain":%s}"""
                .formatted(issuer().issuer(), java.util.UUID.randomUUID(), now, now + 600, rawDomainClaim);
        try {
            Path pem = issuer().publicKeyPem().resolveSibling(LocalTokenIssuer.PRIVATE_KEY_FILE);
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            String input = base64Url(header) + "." + base64Url(payload);
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot sign a test token", e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
