package io.meshfl.mesh.demo;

import io.meshfl.mesh.database.LocalDatabase;
import io.meshfl.mesh.deploy.ContainerEnvironment;
import io.meshfl.mesh.deploy.LocalInstallation;
import io.meshfl.mesh.deploy.RenderedEnvironments;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.mesh.process.FunctionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the local mesh starts each function: with the environment the Knative modules render for it
 * ({@link RenderedEnvironments}), the mesh playing the operator (it creates the Secrets the modules name) and the
 * cluster (it fills in endpoints and mounts). What the mesh adds on top is listed here, each with its reason, and may
 * not replace anything the modules set unless named in {@code replaces}.
 */
final class RenderedFunctions {

    // The Secrets an operator creates for the modules, by the names infra/terraform/render-environments.sh gives them.
    private static final String DATABASE_SECRET = "registry-database";
    private static final String JWT_SECRET = "registry-jwt";
    private static final String AGGREGATION_TOKEN_SECRET = "aggregation-registry-token";
    private static final String AGGREGATION_S3_SECRET = "aggregation-object-store";
    private static final String DOMAIN_TOKEN_SECRET = "domain-registry-token";
    private static final String DOMAIN_S3_SECRET = "domain-object-store";
    private static final String DOMAIN_SIGNING_KEY_SECRET = "domain-signing-key";
    private static final String HEAD_S3_SECRET = "vertical-head-object-store";
    private static final String HEAD_TOKEN_SECRET = "vertical-head-registry-token";
    private static final String HEAD_SIGNING_KEY_SECRET = "vertical-head-signing-key";
    /** Where the round events go on Knative: the Broker the registry's SinkBinding names. */
    private static final String BROKER = "meshfl";

    /** Where the functions reach the federation bucket. */
    record ObjectStoreAddress(URI endpoint, String region, String bucket) {
    }

    private final RenderedEnvironments environments;
    private final MeshLayout layout;
    private final FunctionJars jars;
    private final RegistryTrust trust;

    RenderedFunctions(RenderedEnvironments environments, MeshLayout layout, FunctionJars jars, RegistryTrust trust) {
        this.environments = environments;
        this.layout = layout;
        this.jars = jars;
        this.trust = trust;
    }

    String source() {
        return environments.source();
    }

    FunctionSpec registry(LocalDatabase database, URI roundEvents) {
        LocalInstallation installation = new LocalInstallation(containerRoot("registry"))
                .placeholder("database_host", database.host())
                .placeholder("database_port", Integer.toString(database.port()))
                .placeholder("database_name", database.database())
                .placeholder("jwt_issuer", trust.issuer())
                .secret(DATABASE_SECRET, "username", database.user())
                .secret(DATABASE_SECRET, "password", database.password())
                .secret(JWT_SECRET, "public-key", read(trust.publicKeyPem()))
                .sink("Broker", BROKER, roundEvents);
        return spec("registry-function", "registry", jars.registry(), 0, installation, Map.of(), Set.of(),
                List.of("-Xmx512m"));
    }

    FunctionSpec aggregation(int port, ObjectStoreAddress objectStore, URI registry, S3Principal identity,
                             Path renewedToken) {
        LocalInstallation installation = objectStore(new LocalInstallation(containerRoot("aggregation")), objectStore,
                registry)
                .secret(AGGREGATION_S3_SECRET, "access-key", identity.accessKey())
                .secret(AGGREGATION_S3_SECRET, "secret-key", identity.secretKey())
                // Short-lived, renewed by the mesh in this file as a kubelet refreshes a mounted Secret.
                .secretFile(AGGREGATION_TOKEN_SECRET, "token", renewedToken);
        // The mesh runs the HTTP build, whose entry points authenticate their callers (the event bridge and the sweep
        // timer carry function tokens); the Knative build has no such entry and relies on the cluster's network
        // policy, so the module sets nothing for it.
        Map<String, String> additions = Map.of(
                "mp.jwt.verify.publickey.location", trust.publicKeyPem().toString(),
                "mp.jwt.verify.issuer", trust.issuer());
        return spec("aggregation-function", "aggregation", jars.aggregation(), port, installation, additions, Set.of(),
                List.of("-Xmx512m"));
    }

    FunctionSpec training(String domain, ObjectStoreAddress objectStore, URI registry, S3Principal identity,
                          DomainSigningKey key) {
        LocalInstallation installation = objectStore(new LocalInstallation(containerRoot("training-" + domain)), objectStore,
                registry)
                .placeholder("domain", domain)
                .secret(DOMAIN_S3_SECRET, "access-key", identity.accessKey())
                .secret(DOMAIN_S3_SECRET, "secret-key", identity.secretKey())
                .secret(DOMAIN_TOKEN_SECRET, "token", trust.domainToken().apply(domain))
                .secretFile(DOMAIN_SIGNING_KEY_SECRET, "signing-key", key.privateKeyPem());
        Map<String, String> additions = Map.of(
                // Several domains share this machine's cores: one libtorch and DuckDB thread each.
                "meshfl.training.threads", "1",
                "meshfl.training.work-dir", layout.work(domain).toString(),
                "ai.djl.offline", "true",
                // One unpack of libtorch (~430 MB) for every domain instead of one per container's /tmp.
                "ENGINE_CACHE_DIR", layout.work("djl").toString(),
                // The HTTP build's POST /vertical admits function tokens of the federation's issuer only (the Knative
                // build has no such entry, as for the aggregation).
                "mp.jwt.verify.publickey.location", trust.publicKeyPem().toString(),
                "mp.jwt.verify.issuer", trust.issuer());
        return spec("training-function-" + domain, "training", jars.training(), 0, installation, additions,
                Set.of("ENGINE_CACHE_DIR"), List.of("-Xmx768m"));
    }

    /**
     * The governance-side head of vertical models (federation-knative's {@code vertical_head}): the training package
     * as the governance, with the head's own object-store identity and signing key. Its registry token (a
     * {@code function} token) reads the registry's rounds, lists the due ones for the deadline sweep and records
     * outcomes.
     */
    FunctionSpec verticalHead(ObjectStoreAddress objectStore, URI registry, S3Principal identity, DomainSigningKey key,
                              String registryToken) {
        LocalInstallation installation = objectStore(new LocalInstallation(containerRoot("vertical-head")), objectStore,
                registry)
                .secret(HEAD_S3_SECRET, "access-key", identity.accessKey())
                .secret(HEAD_S3_SECRET, "secret-key", identity.secretKey())
                .secret(HEAD_TOKEN_SECRET, "token", registryToken)
                .secretFile(HEAD_SIGNING_KEY_SECRET, "signing-key", key.privateKeyPem());
        Map<String, String> additions = Map.of(
                "meshfl.training.threads", "1",
                "meshfl.training.work-dir", layout.work("vertical-head").toString(),
                "ai.djl.offline", "true",
                "ENGINE_CACHE_DIR", layout.work("djl").toString(),
                "mp.jwt.verify.publickey.location", trust.publicKeyPem().toString(),
                "mp.jwt.verify.issuer", trust.issuer());
        return spec("vertical-head", "vertical-head", jars.training(), 0, installation, additions,
                Set.of("ENGINE_CACHE_DIR"), List.of("-Xmx768m"));
    }

    /** The directory standing in for one container's filesystem (its /tmp, its mounted Secrets). */
    private Path containerRoot(String container) {
        return layout.work("containers").resolve(container);
    }

    private static LocalInstallation objectStore(LocalInstallation installation, ObjectStoreAddress objectStore,
                                                 URI registry) {
        return installation
                .placeholder("federation_bucket", objectStore.bucket())
                .placeholder("region", objectStore.region())
                .placeholder("object_store_endpoint", objectStore.endpoint().toString())
                .placeholder("registry_url", registry.toString());
    }

    /**
     * The rendered environment, made concrete, plus the mesh's additions: upper-case names are variables, the others
     * system properties (never a secret: a command line is readable with ps).
     */
    private FunctionSpec spec(String name, String function, Path jar, int port, LocalInstallation installation,
                              Map<String, String> additions, Set<String> replaces, List<String> jvmOptions) {
        ContainerEnvironment rendered = ContainerEnvironment.of(environments.container(function), installation);
        Map<String, String> environment = new HashMap<>(rendered.variables());
        Map<String, String> properties = new HashMap<>();
        additions.forEach((key, value) -> {
            String variable = asVariable(key);
            if (environment.containsKey(variable) && !replaces.contains(variable)) {
                throw new IllegalStateException("The local mesh would replace " + variable + ", which "
                        + environments.source() + " sets for the " + function + " function");
            }
            if (key.equals(variable)) {
                environment.put(key, value);
            } else {
                properties.put(key, value);
            }
        });
        rendered.files().forEach(PrivateFiles::write);
        return new FunctionSpec(name, jar, port, properties, environment, jvmOptions);
    }

    /** The variable a property is set with (Quarkus and SmallRye Config: upper case, other characters '_'). */
    static String asVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
