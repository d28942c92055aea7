package io.meshfl.training.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The domain a bearer token says it acts for (its {@code domain} claim), read without verifying the signature: the
 * registry verifies every token it is shown, and this reading only ever refuses. It lets the function refuse a token
 * of another domain before it asks the registry for that domain's round or reads anything from storage, where the
 * other domain's data product would otherwise surface as a storage 403 deep inside training.
 */
final class TokenDomain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenDomain() {
    }

    /** The token's {@code domain} claim; empty for tokens without one (or that are no JWT: the registry says 401). */
    static Optional<String> of(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode domain = claims.path("domain");
            if (domain.isMissingNode() || domain.isNull()) {
                return Optional.empty();
            }
            // An array or number is no domain; the registry refuses such a token too.
            return Optional.of(domain.isTextual() ? domain.asText() : domain.toString());
        } catch (IOException | IllegalArgumentException notAJwt) {
            return Optional.empty();
        }
    }
}
