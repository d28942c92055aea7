package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mesh's own domain tokens: 30 minutes, renewed once half of that is gone. */
class DomainTokensTest {

    @TempDir
    Path keys;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T12:00:00Z"));

    @Test
    void aTokenIsReusedWhileHalfItsLifeIsLeftThenRenewed() throws Exception {
        DomainTokens tokens = new DomainTokens(LocalTokenIssuer.inDirectory(keys), clock);

        String first = tokens.apply("domain-1");
        clock.advance(Duration.ofMinutes(14));
        String stillFirst = tokens.apply("domain-1");
        clock.advance(Duration.ofMinutes(2));
        String renewed = tokens.apply("domain-1");

        assertThat(stillFirst).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
        JsonNode claims = claims(renewed);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(30 * 60);
        assertThat(claims.get("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(claims.get("domain").asText()).isEqualTo("domain-1");
    }

    @Test
    void eachDomainGetsItsOwnToken() throws Exception {
        DomainTokens tokens = new DomainTokens(LocalTokenIssuer.inDirectory(keys), clock);

        assertThat(claims(tokens.apply("domain-1")).get("domain").asText()).isEqualTo("domain-1");
        assertThat(claims(tokens.apply("domain-2")).get("domain").asText()).isEqualTo("domain-2");
    }

    private static JsonNode claims(String token) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }
}
