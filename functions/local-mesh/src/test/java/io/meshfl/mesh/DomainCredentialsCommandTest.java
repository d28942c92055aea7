package io.meshfl.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.demo.MeshLayout;
import io.meshfl.mesh.demo.MeshState;
import io.meshfl.mesh.demo.RunningMesh;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.S3Principal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshfl domain-credentials DOMAIN} on a data directory set up as the demo leaves it while it runs. */
class DomainCredentialsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields in the order the Python kit's tests pin them (clients/python/tests/data). */
    private static final Path KIT_EXAMPLE = repository().resolve("clients/python/tests/data/domain-credentials.json");

    @TempDir
    Path dir;

    private MeshLayout layout;
    private MeshState state;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void aRunningMeshOfThreeDomains() {
        layout = new MeshLayout(dir.resolve("mesh"));
        state = new MeshState("meshfl", "meshfl-0a1b2c3d4e5f", "0011223344556677", "gaussian-mixture", 3, 0.5, 42,
                "fedavg");
        layout.createPrivately(state.domainNames());
        state.write(layout.state());
        LocalTokenIssuer.inDirectory(layout.keys());
        state.domainNames().forEach(domain -> DomainSigningKey.loadOrCreate(layout.domain(domain)));
        RunningMesh.here(URI.create("http://127.0.0.1:40123"), URI.create("http://127.0.0.1:40124"), "us-east-1",
                "meshfl", "gaussian-mixture-classifier").write(layout);
    }

    private int run(String... args) {
        CommandLine cli = MeshflCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("domain-credentials"));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void printsAShortLivedTokenForThatDomainOnlyWithItsOwnS3KeysAndSigningKey() throws Exception {
        Instant before = Instant.now().minusSeconds(1);

        int status = run("domain-2", "--data-dir", layout.root().toString(), "--ttl", "15m");

        assertThat(status).as(err.toString()).isZero();
        JsonNode printed = JSON.readTree(out.toString());
        JsonNode claims = verifiedClaims(printed.get("registryToken").asText());
        assertThat(claims.get("domain").asText()).isEqualTo("domain-2");
        assertThat(claims.get("sub").asText()).isEqualTo("domain-2");
        assertThat(claims.get("groups")).containsExactly(JSON.getNodeFactory().textNode("domain"));
        assertThat(claims.get("iss").asText()).isEqualTo(LocalTokenIssuer.DEFAULT_ISSUER);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(15 * 60);
        assertThat(Instant.ofEpochSecond(claims.get("exp").asLong()))
                .isBetween(before.plusSeconds(15 * 60 - 1), Instant.now().plusSeconds(15 * 60));
        assertThat(printed.get("registryTokenExpiresAt").asText())
                .isEqualTo(Instant.ofEpochSecond(claims.get("exp").asLong()).toString());

        S3Principal own = state.domain(FederationAccess.rendered("meshfl", state.domainNames()), "domain-2");
        S3Principal other = state.domain(FederationAccess.rendered("meshfl", state.domainNames()), "domain-1");
        assertThat(printed.get("accessKeyId").asText()).isEqualTo(own.accessKey()).isNotEqualTo(other.accessKey());
        assertThat(printed.get("secretAccessKey").asText()).isEqualTo(own.secretKey());
        Path signingKey = Path.of(printed.get("signingKeyFile").asText());
        assertThat(signingKey).isEqualTo(layout.domain("domain-2").resolve(DomainSigningKey.PRIVATE_KEY_FILE));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(signingKey))).isEqualTo("rw-------");
        assertThat(printed.get("registryUrl").asText()).isEqualTo("http://127.0.0.1:40123");
        assertThat(printed.get("s3Endpoint").asText()).isEqualTo("http://127.0.0.1:40124");
        assertThat(printed.get("bucket").asText()).isEqualTo("meshfl");
        assertThat(printed.get("region").asText()).isEqualTo("us-east-1");
        assertThat(printed.get("model").asText()).isEqualTo("gaussian-mixture-classifier");
        // The same fields, in the same order, as the kit reads them.
        List<String> kitFields = new ArrayList<>();
        JSON.readTree(KIT_EXAMPLE.toFile()).fieldNames().forEachRemaining(kitFields::add);
        List<String> fields = new ArrayList<>();
        printed.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).isEqualTo(kitFields);
        assertThat(err.toString()).contains("valid until").doesNotContain(printed.get("registryToken").asText());
    }

    @Test
    void theDefaultTokenLivesOneHour() throws Exception {
        assertThat(run("domain-1", "--data-dir", layout.root().toString())).as(err.toString()).isZero();

        JsonNode claims = verifiedClaims(JSON.readTree(out.toString()).get("registryToken").asText());

        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
    }

    @Test
    void theEnvFormatExportsTheVariablesTheKitReads() {
        assertThat(run("domain-3", "--data-dir", layout.root().toString(), "--format", "env")).isZero();

        Map<String, String> exported = new LinkedHashMap<>();
        for (String line : out.toString().split("\n")) {
            assertThat(line).matches("export [A-Z0-9_]+='[^']*'");
            exported.put(line.substring(7, line.indexOf('=')), line.substring(line.indexOf('=') + 2, line.length() - 1));
        }
        assertThat(exported).containsKeys("MESHFL_REGISTRY_URL", "MESHFL_REGISTRY_TOKEN", "MESHFL_S3_ENDPOINT",
                "MESHFL_BUCKET", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MESHFL_SIGNING_KEY_FILE",
                "MESHFL_MODEL");
        assertThat(exported.get("MESHFL_DOMAIN")).isEqualTo("domain-3");
    }

    @Test
    void anUnknownDomainIsRefusedWithStatusTwoNamingTheDomains() {
        assertThat(run("domain-9", "--data-dir", layout.root().toString())).isEqualTo(2);

        assertThat(err.toString()).contains("domain-9 is not one of the mesh's domains [domain-1, domain-2, domain-3]");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirectoryWithoutAMeshIsRefusedWithStatusTwo() {
        assertThat(run("domain-1", "--data-dir", dir.resolve("elsewhere").toString())).isEqualTo(2);

        assertThat(err.toString()).contains("holds no mesh").contains("run ./meshfl demo --data-dir");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMeshThatIsNotRunningIsRefusedWithHowToStartIt() throws Exception {
        Files.delete(RunningMesh.file(layout));

        assertThat(run("domain-1", "--data-dir", layout.root().toString())).isEqualTo(2);

        assertThat(err.toString()).contains("no mesh is running on").contains("--external domain-1");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileLeftByAMeshThatDiedCountsAsNotRunning() throws Exception {
        long dead = new ProcessBuilder("true").start().onExit().get().pid();
        Files.writeString(RunningMesh.file(layout), Files.readString(RunningMesh.file(layout))
                .replaceAll("pid=\\d+", "pid=" + dead), StandardCharsets.UTF_8);

        assertThat(run("domain-1", "--data-dir", layout.root().toString())).isEqualTo(2);

        assertThat(err.toString()).contains("no mesh is running on");
    }

    @Test
    void aTtlAboveTwelveHoursOrNotADurationOrAnUnknownFormatIsRefused() {
        assertThat(run("domain-1", "--data-dir", layout.root().toString(), "--ttl", "13h")).isEqualTo(2);
        assertThat(run("domain-1", "--data-dir", layout.root().toString(), "--ttl", "soon")).isEqualTo(2);
        assertThat(run("domain-1", "--data-dir", layout.root().toString(), "--format", "yaml")).isEqualTo(2);

        assertThat(err.toString()).contains("--ttl must be more than 0 and at most 12 h")
                .contains("'soon' is not a duration").contains("--format must be json or env");
        assertThat(out.toString()).isEmpty();
    }

    /** The token's claims, after checking its RS256 signature with the mesh's public key. */
    private JsonNode verifiedClaims(String token) throws Exception {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(LocalTokenIssuer.readPublicKey(layout.keys().resolve(LocalTokenIssuer.PUBLIC_KEY_FILE)));
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).as("the token's signature verifies").isTrue();
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("clients/python/tests"))) {
            here = here.getParent();
        }
        assertThat(here).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return here;
    }
}
