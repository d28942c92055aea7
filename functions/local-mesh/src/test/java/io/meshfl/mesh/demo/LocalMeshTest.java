package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.FederationAccess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole set of services on real processes: PostgreSQL, S3Proxy, and the packaged registry, aggregation and
 * training functions of this build (dependencies of this module: Maven resolves them, see its POM).
 */
class LocalMeshTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> get(URI uri, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyServiceStartsConfiguredForTheOthersAndStopsOnClose() throws Exception {
        MeshLayout layout = new MeshLayout(dir);
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs("--domains", "2");
        MeshState state = MeshState.create(options, "test");
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(layout.keys());
        Map<String, DomainSigningKey> keys = new LinkedHashMap<>();
        for (String domain : options.domainNames()) {
            keys.put(domain, DomainSigningKey.loadOrCreate(layout.domain(domain)));
        }
        StringWriter out = new StringWriter();

        URI registry;
        try (LocalMesh mesh = LocalMesh.start(layout, state, FunctionJars.located(),
                new RegistryTrust(issuer.publicKeyPem(), issuer.issuer(), issuer::function, issuer::domain), keys,
                new MeshAccess(FederationAccess.rendered(state.bucket(), options.domainNames()), false),
                Duration.ofSeconds(1), new PrintWriter(out))) {
            registry = mesh.registry();
            // The registry migrated its database and trusts the mesh's issuer.
            HttpResponse<String> domains = get(registry.resolve("/domains"), issuer.governance());
            assertThat(domains.statusCode()).isEqualTo(200);
            assertThat(domains.body()).isEqualTo("[]");
            assertThat(get(registry.resolve("/domains"), "not-a-token").statusCode()).isEqualTo(401);
            // Every function reached the bucket with the mesh's credentials (their readiness checks it).
            for (URI function : new URI[] {mesh.aggregation(), mesh.training("domain-1"), mesh.training("domain-2")}) {
                HttpResponse<String> ready = get(function.resolve("/q/health/ready"), "");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("object-store").contains("UP");
            }
            // The aggregation function serves only the mesh's function token (its event bridge and sweep timer).
            assertThat(post(mesh.aggregation().resolve("/sweep"), null).statusCode()).isEqualTo(401);
            assertThat(post(mesh.aggregation().resolve("/sweep"), issuer.domain("domain-1")).statusCode()).isEqualTo(403);
            assertThat(post(mesh.aggregation().resolve("/sweep"), issuer.function()).statusCode()).isEqualTo(200);
            assertThat(layout.functionToken()).exists();
            assertThat(out.toString()).contains("PostgreSQL").contains("registry").contains("aggregation")
                    .contains("training domain-1").contains("training domain-2").contains("a sweep every 1 s on /sweep");
        }

        assertThatThrownBy(() -> get(registry.resolve("/q/health/ready"), "")).isInstanceOf(IOException.class);
        assertThat(layout.logs().resolve("registry-function.log")).exists();
        assertThat(layout.logs().resolve("training-function-domain-2.log")).exists();
    }
}
