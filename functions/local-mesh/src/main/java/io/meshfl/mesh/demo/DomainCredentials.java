package io.meshfl.mesh.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.S3Principal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a client outside the mesh needs to act as one of its domains: a registry token for that domain only, minted
 * short-lived by the mesh's issuer, the running mesh's registry and S3 endpoints, the domain's own S3 key pair (which
 * the rendered IAM documents confine to its prefix and its update slot) and its signing key file. The Python kit
 * reads either form: {@link #json()} ({@code meshfl-domain --credentials FILE}) or {@link #environment()} (the
 * variables its commands already take).
 */
public record DomainCredentials(String domain, String model, URI registry, String token, Instant tokenExpiresAt,
                                URI s3Endpoint, String region, String bucket, String accessKeyId,
                                String secretAccessKey, Path signingKeyFile) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** Tokens handed out of the mesh live at most a working day; ask again for more. */
    public static final Duration MAX_TTL = Duration.ofHours(12);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user asked for credentials that cannot be given; the message says which thing was wrong. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Credentials for {@code domain} of the mesh running on {@code layout}, with a token valid for {@code ttl}. */
    public static DomainCredentials issue(MeshLayout layout, String domain, Duration ttl, Instant now) throws Refused {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new Refused("--ttl must be more than 0 and at most " + MAX_TTL.toHours() + " h, was " + ttl);
        }
        if (!MeshState.exists(layout.state())) {
            throw new Refused(layout.root() + " holds no mesh (no " + layout.state().getFileName()
                    + "): run ./meshfl demo --data-dir " + layout.root() + " first");
        }
        MeshState state = MeshState.read(layout.state());
        if (!state.domainNames().contains(domain)) {
            throw new Refused(domain + " is not one of the mesh's domains " + state.domainNames());
        }
        Path signingKey = layout.domain(domain).resolve(DomainSigningKey.PRIVATE_KEY_FILE);
        Path tokenKey = layout.keys().resolve(LocalTokenIssuer.PRIVATE_KEY_FILE);
        if (!Files.isRegularFile(signingKey) || !Files.isRegularFile(tokenKey)) {
            throw new Refused(layout.root() + " has no " + (Files.isRegularFile(tokenKey) ? signingKey : tokenKey)
                    + ": the mesh was never started on it; run ./meshfl demo --data-dir " + layout.root());
        }
        RunningMesh running = RunningMesh.read(layout).orElseThrow(() -> new Refused("no mesh is running on "
                + layout.root() + " (its registry and S3 endpoints exist only while it runs): start it with"
                + " ./meshfl demo --data-dir " + layout.root() + " --external " + domain + " (or --serve)"));
        PrivateFiles.restrict(signingKey, PrivateFiles.OWNER_FILE);
        // Only the principal's name enters the key derivation: the IAM documents the mesh enforces do not matter here.
        S3Principal keys = state.domain(FederationAccess.rendered(state.bucket(), state.domainNames()), domain);
        // A JWT counts whole seconds: the printed expiry is the token's own exp.
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        Instant expires = issued.plus(ttl);
        String token = LocalTokenIssuer.inDirectory(layout.keys()).mint(new LocalTokenIssuer.Claims(domain,
                Set.of(LocalTokenIssuer.DOMAIN), domain, issued, expires));
        return new DomainCredentials(domain, running.model(), running.registry(), token, expires,
                running.objectStore(), running.region(), running.bucket(), keys.accessKey(), keys.secretKey(),
                signingKey.toAbsolutePath());
    }

    /** The variables the kit's commands read, in the order a reader checks them. */
    public Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MESHFL_DOMAIN", domain);
        variables.put("MESHFL_MODEL", model);
        variables.put("MESHFL_REGISTRY_URL", registry.toString());
        variables.put("MESHFL_REGISTRY_TOKEN", token);
        variables.put("MESHFL_REGISTRY_TOKEN_EXPIRES_AT", tokenExpiresAt.toString());
        variables.put("MESHFL_S3_ENDPOINT", s3Endpoint.toString());
        variables.put("AWS_REGION", region);
        variables.put("MESHFL_BUCKET", bucket);
        variables.put("AWS_ACCESS_KEY_ID", accessKeyId);
        variables.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        variables.put("MESHFL_SIGNING_KEY_FILE", signingKeyFile.toString());
        return variables;
    }

    /** {@code export NAME='value'} lines for {@code eval "$(./meshfl domain-credentials D --format env)"}. */
    public String environmentLines() {
        StringBuilder lines = new StringBuilder();
        environment().forEach((name, value) -> lines.append("export ").append(name).append("='")
                .append(value.replace("'", "'\\''")).append("'\n"));
        return lines.toString();
    }

    public String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", domain);
        fields.put("model", model);
        fields.put("registryUrl", registry.toString());
        fields.put("registryToken", token);
        fields.put("registryTokenExpiresAt", tokenExpiresAt.toString());
        fields.put("s3Endpoint", s3Endpoint.toString());
        fields.put("region", region);
        fields.put("bucket", bucket);
        fields.put("accessKeyId", accessKeyId);
        fields.put("secretAccessKey", secretAccessKey);
        fields.put("signingKeyFile", signingKeyFile.toString());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fields) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Strings and numbers always serialise", e);
        }
    }
}
