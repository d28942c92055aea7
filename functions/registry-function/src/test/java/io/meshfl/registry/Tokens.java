package io.meshfl.registry;

import io.meshfl.auth.LocalTokenIssuer;
import java.nio.file.Path;

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
}
