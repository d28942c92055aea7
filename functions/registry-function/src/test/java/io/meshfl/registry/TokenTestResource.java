package io.meshfl.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Makes the registry under test trust {@link Tokens#issuer()}. */
public class TokenTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey.location", Tokens.issuer().publicKeyPem().toAbsolutePath().toString(),
                "mp.jwt.verify.issuer", Tokens.issuer().issuer());
    }

    @Override
    public void stop() {
        // Keys stay for the next run: LocalTokenIssuer reuses them.
    }
}
