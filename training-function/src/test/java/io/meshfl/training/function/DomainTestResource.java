package io.meshfl.training.function;

import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.training.TestEngine;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * The domain the function under test serves: a fresh id and Ed25519 key pair, the domain registered (with its public
 * key) in the JVM's shared registry, and the function configured with the private key and the domain's token.
 */
public class DomainTestResource implements QuarkusTestResourceLifecycleManager {

    /** Read by the tests: the domain the function serves and its key pair. */
    static volatile String domain;
    static volatile DomainKeyPair keys;

    @Override
    public Map<String, String> start() {
        RegistryProcess registry = RegistryProcess.shared();
        domain = "sales-" + UUID.randomUUID().toString().substring(0, 8);
        keys = DomainKeyPair.generate();
        register(registry);
        return Map.of(
                "meshfl.training.domain", domain,
                "meshfl.training.signing-key", keys.privateKeyBase64(),
                "meshfl.training.registry-token", registry.issuer().domain(domain),
                // libtorch unpacked inside target/, one thread: two cores are shared by several builds.
                "meshfl.training.work-dir", TestEngine.workDir().toAbsolutePath().toString(),
                "meshfl.training.threads", "1",
                // POST /vertical verifies its callers' tokens with the federation issuer's key (the registry's).
                "mp.jwt.verify.publickey.location", registry.issuer().publicKeyPem().toString(),
                "mp.jwt.verify.issuer", registry.issuer().issuer());
    }

    private static void register(RegistryProcess registry) {
        String body = """
                {"id": "%s", "name": "Sales", "owner": "data@sales.example.org", "publicKey": "%s"}
                """.formatted(domain, keys.publicKeyBase64());
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(registry.baseUrl() + "/domains"))
                    .header("Authorization", "Bearer " + registry.issuer().governance())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("registering domain " + domain + ": " + response.statusCode() + " "
                        + response.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the test domain", e);
        }
    }

    @Override
    public void stop() {
        // The shared registry and its data live as long as the test JVM.
    }
}
