package io.meshfl.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTokenIssuerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path keys;

    @Test
    void createsTheKeyPairAtFirstUseAndReusesItAfterwards() throws Exception {
        LocalTokenIssuer first = LocalTokenIssuer.inDirectory(keys);
        String publicPem = Files.readString(first.publicKeyPem());
        String privatePem = Files.readString(keys.resolve(LocalTokenIssuer.PRIVATE_KEY_FILE));

        LocalTokenIssuer second = LocalTokenIssuer.inDirectory(keys);

        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(Files.readString(second.publicKeyPem())).isEqualTo(publicPem);
        assertThat(Files.readString(keys.resolve(LocalTokenIssuer.PRIVATE_KEY_FILE))).isEqualTo(privatePem);
        assertThat(verifies(second.domain("retail"), first.publicKeyPem())).isTrue();
    }

    @Test
    void domainTokenCarriesTheClaimsTheRegistryReads() throws Exception {
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(keys, "https://issuer.test");

        String token = issuer.domain("retail");

        JsonNode header = part(token, 0);
        JsonNode payload = part(token, 1);
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(payload.get("iss").asText()).isEqualTo("https://issuer.test");
        assertThat(payload.get("sub").asText()).isEqualTo("retail");
        assertThat(payload.get("domain").asText()).isEqualTo("retail");
        assertThat(payload.get("groups")).hasSize(1);
        assertThat(payload.get("groups").get(0).asText()).isEqualTo("domain");
        assertThat(payload.get("exp").asLong() - payload.get("iat").asLong())
                .isEqualTo(LocalTokenIssuer.DEFAULT_LIFETIME.toSeconds());
        assertThat(verifies(token, issuer.publicKeyPem())).isTrue();
    }

    @Test
    void governanceAndFunctionTokensCarryNoDomain() throws Exception {
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(keys);

        assertThat(part(issuer.governance(), 1).has("domain")).isFalse();
        assertThat(part(issuer.function(), 1).get("groups").get(0).asText()).isEqualTo("function");
    }

    @Test
    void mintsExactlyTheTimesItIsGiven() throws Exception {
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(keys);
        Instant issued = Instant.parse("2020-01-01T00:00:00Z");

        String expired = issuer.mint(new LocalTokenIssuer.Claims("old", Set.of("governance"), null,
                issued, issued.plusSeconds(60)));

        assertThat(part(expired, 1).get("iat").asLong()).isEqualTo(issued.getEpochSecond());
        assertThat(part(expired, 1).get("exp").asLong()).isEqualTo(issued.getEpochSecond() + 60);
    }

    @Test
    void tokenOfAnotherKeyDirectoryDoesNotVerify(@TempDir Path otherKeys) throws Exception {
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(keys);
        LocalTokenIssuer forger = LocalTokenIssuer.inDirectory(otherKeys);

        assertThat(verifies(forger.governance(), issuer.publicKeyPem())).isFalse();
    }

    private static JsonNode part(String token, int index) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }

    private static boolean verifies(String token, Path publicPem) throws Exception {
        String[] parts = token.split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(LocalTokenIssuer.readPublicKey(publicPem));
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
    }
}
