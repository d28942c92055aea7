package io.meshfl.mesh.demo;

import io.meshfl.mesh.database.LocalDatabase;
import io.meshfl.mesh.events.EventBridge;
import io.meshfl.mesh.events.RoundEventLog;
import io.meshfl.mesh.events.SweepTimer;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.iam.RenderedPolicies;
import io.meshfl.mesh.objectstore.AccessDenied;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.mesh.process.FunctionProcess;
import io.meshfl.mesh.process.FunctionSpec;
import io.meshfl.mesh.process.LoopbackPorts;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The running services of the local mesh, all on loopback: PostgreSQL, the S3 server with its event bridge, the
 * registry, the aggregation function and one training function per domain (each domain trains inside its own
 * boundary, with its own signing key). Closing stops everything in the reverse order it started.
 */
public final class LocalMesh implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** Well inside a renewed token's remaining half-life (RenewedToken: 30 min, renewed with 15 left). */
    static final Duration TOKEN_RENEWAL = Duration.ofMinutes(5);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private LocalDatabase database;
    private LocalObjectStoreServer objectStore;
    private EventBridge bridge;
    private RoundEventLog roundEvents;
    private FunctionProcess registry;
    private FunctionProcess aggregation;
    private final Map<String, FunctionProcess> training = new LinkedHashMap<>();
    private boolean closed;

    private final FederationAccess access;

    private LocalMesh(FederationAccess access) {
        this.access = access;
    }

    /**
     * Starts everything, or nothing: if one service fails, those already started are stopped before the error
     * (which names the failing service and shows the end of its log) is thrown.
     */
    public static LocalMesh start(MeshLayout layout, MeshState state, FunctionJars jars, RegistryTrust trust,
                                  Map<String, DomainSigningKey> signingKeys, MeshAccess access, Duration sweepPeriod,
                                  PrintWriter out) {
        return start(layout, state, jars, trust, signingKeys, access, sweepPeriod, Set.of(), out);
    }

    /**
     * As above, without a training function for the {@code external} domains: a client outside the mesh plays them
     * (their S3 identities exist all the same).
     */
    public static LocalMesh start(MeshLayout layout, MeshState state, FunctionJars jars, RegistryTrust trust,
                                  Map<String, DomainSigningKey> signingKeys, MeshAccess access, Duration sweepPeriod,
                                  Set<String> external, PrintWriter out) {
        LocalMesh mesh = new LocalMesh(access.policies());
        try {
            mesh.startAll(layout, state, jars, trust, signingKeys, access.audit(), sweepPeriod, external, out);
            return mesh;
        } catch (RuntimeException e) {
            List<AccessDenied> denials = mesh.objectStore == null ? List.of() : mesh.objectStore.denials();
            mesh.close();
            if (!denials.isEmpty()) {
                throw new IllegalStateException(e.getMessage() + "\n" + DeniedCalls.describe(denials), e);
            }
            throw e;
        }
    }

    private void startAll(MeshLayout layout, MeshState state, FunctionJars jars, RegistryTrust trust,
                          Map<String, DomainSigningKey> signingKeys, boolean audit, Duration sweepPeriod,
                          Set<String> external, PrintWriter out) {
        database = remember(LocalDatabase.start(layout.postgres()));
        out.printf("  PostgreSQL          %s%n", database.jdbcUrl());

        int aggregationPort = LoopbackPorts.free();
        URI aggregationUri = URI.create("http://127.0.0.1:" + aggregationPort);
        // The aggregation function answers only function-role tokens: any local user can reach its port.
        bridge = remember(new EventBridge(EventBridge.Settings.defaults(aggregationUri.resolve("/aggregate"),
                LocalObjectStoreServer.REGION, layout.logs().resolve("undelivered-events.jsonl")), trust.functionToken()));
        List<S3Principal> principals = new ArrayList<>(List.of(state.governance(access), state.aggregation(access)));
        signingKeys.keySet().forEach(domain -> principals.add(state.domain(access, domain)));
        objectStore = remember(LocalObjectStoreServer.start(layout.objects(), state.bucket(), 0, principals, bridge,
                audit));
        out.printf("  S3 (S3Proxy)        %s  bucket %s, IAM documents %s%s%n", objectStore.endpoint(), state.bucket(),
                access.source().equals(RenderedPolicies.RESOURCE) ? "of infra/terraform/modules/policies" : access.source(),
                audit ? " (audit only: denials logged, not enforced)" : "");
        out.flush();

        roundEvents = remember(RoundEventLog.start(layout.logs().resolve("round-events.jsonl")));
        registry = remember(FunctionProcess.start(new FunctionSpec("registry-function", jars.registry(), 0,
                registryProperties(trust), Map.of("QUARKUS_DATASOURCE_PASSWORD", database.password()), List.of("-Xmx512m")),
                layout.logs(), READY_TIMEOUT));
        out.printf("  registry            %s  round events to %s%n", registry.uri(), roundEvents.file());
        out.flush();

        Map<String, String> functionBase = new HashMap<>(objectStoreProperties(state));
        functionBase.put("meshfl.registry.url", registry.uri().toString());

        Map<String, String> aggregationProperties = new HashMap<>(functionBase);
        aggregationProperties.put("meshfl.object-store.access-key", state.aggregation(access).accessKey());
        // It verifies its callers' tokens as the registry does.
        aggregationProperties.put("mp.jwt.verify.publickey.location", trust.publicKeyPem().toString());
        aggregationProperties.put("mp.jwt.verify.issuer", trust.issuer());
        Map<String, String> aggregationSecrets = new HashMap<>(secretOf(state.aggregation(access)));
        // Its registry token is short-lived: a file the mesh renews while it runs, which the function reads again
        // whenever it changes.
        remember(RenewedTokenFile.start(layout.functionToken(), trust.functionToken(), TOKEN_RENEWAL));
        aggregationSecrets.put("MESHFL_REGISTRY_TOKEN_FILE", layout.functionToken().toString());
        // The first training deployment unpacks libtorch into the shared engine cache; the others start after it
        // and find it there (one unpack of ~430 MB instead of one per domain, and no race between unpackers).
        List<String> domains = new ArrayList<>(signingKeys.keySet());
        domains.removeAll(external);
        CompletableFuture<FunctionProcess> aggregationStart = CompletableFuture.supplyAsync(() -> FunctionProcess.start(
                new FunctionSpec("aggregation-function", jars.aggregation(), aggregationPort, aggregationProperties,
                        aggregationSecrets, List.of("-Xmx512m")), layout.logs(), READY_TIMEOUT));
        Map<String, CompletableFuture<FunctionProcess>> trainingStarts = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (int i = 0; i < domains.size(); i++) {
            String domain = domains.get(i);
            trainingStarts.put(domain, CompletableFuture.supplyAsync(() -> FunctionProcess.start(
                    trainingSpec(layout, jars, functionBase, state.domain(access, domain), signingKeys.get(domain)),
                    layout.logs(), READY_TIMEOUT)));
            if (i == 0) {
                failure = await(trainingStarts.get(domain), started -> training.put(domain, started), failure);
            }
        }
        failure = await(aggregationStart, started -> aggregation = started, failure);
        for (int i = 1; i < domains.size(); i++) {
            String domain = domains.get(i);
            failure = await(trainingStarts.get(domain), started -> training.put(domain, started), failure);
        }
        if (failure != null) {
            throw failure;
        }
        // Stopped before the aggregation function (started later, closed earlier): no sweep hits a stopped function.
        remember(SweepTimer.start(aggregation.uri().resolve("/sweep"), trust.functionToken(), sweepPeriod));
        out.printf("  aggregation         %s  (S3 events from the bridge on /aggregate, a sweep every %d s on /sweep)%n",
                aggregation.uri(), sweepPeriod.toSeconds());
        training.forEach((domain, function) -> out.printf("  training %-10s %s%n", domain, function.uri()));
        external.forEach(domain -> out.printf("  training %-10s external: a client outside the mesh plays it%n", domain));
        out.flush();
    }

    private static FunctionSpec trainingSpec(MeshLayout layout, FunctionJars jars, Map<String, String> functionBase,
                                             S3Principal identity, DomainSigningKey key) {
        String domain = identity.policy().principal();
        Map<String, String> properties = new HashMap<>(functionBase);
        // Its own S3 identity: it can read the global models and its data products, and write only its own update.
        properties.put("meshfl.object-store.access-key", identity.accessKey());
        // One training deployment per domain, as in a cloud deployment: it trains for this domain only.
        properties.put("meshfl.training.domain", domain);
        properties.put("meshfl.training.work-dir", layout.work(domain).toString());
        // Several domains share the machine's cores: one libtorch and DuckDB thread each.
        properties.put("meshfl.training.threads", "1");
        properties.put("ai.djl.offline", "true");
        Map<String, String> environment = new HashMap<>(secretOf(identity));
        environment.put("MESHFL_TRAINING_SIGNING_KEY", key.privateKeyBase64());
        environment.put("ENGINE_CACHE_DIR", layout.work("djl").toString());
        environment.put("OPT_OUT_TRACKING", "true");
        environment.put("DJL_OFFLINE", "true");
        return new FunctionSpec("training-function-" + domain, jars.training(), 0, properties, environment,
                List.of("-Xmx768m"));
    }

    /** Waits for a start; remembers what started, keeps the first failure. */
    private RuntimeException await(CompletableFuture<FunctionProcess> start,
                                   java.util.function.Consumer<FunctionProcess> started, RuntimeException failure) {
        try {
            started.accept(remember(start.join()));
            return failure;
        } catch (CompletionException e) {
            return failure != null ? failure : unwrap(e);
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException cause ? cause : e;
    }

    private Map<String, String> registryProperties(RegistryTrust trust) {
        Map<String, String> properties = new HashMap<>();
        properties.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        properties.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        properties.put("quarkus.datasource.username", database.user());
        properties.put("mp.jwt.verify.publickey.location", trust.publicKeyPem().toString());
        properties.put("mp.jwt.verify.issuer", trust.issuer());
        // Round events leave the registry as they do on Knative: CloudEvents over HTTP, here to the mesh's log.
        properties.put("mp.messaging.outgoing.round-events.connector", "meshfl-cloudevents-http");
        properties.put("mp.messaging.outgoing.round-events.url", roundEvents.uri().toString());
        return properties;
    }

    private Map<String, String> objectStoreProperties(MeshState state) {
        return Map.of(
                "meshfl.object-store.endpoint", objectStore.endpoint().toString(),
                "meshfl.object-store.bucket", state.bucket(),
                "meshfl.object-store.region", objectStore.region(),
                "meshfl.object-store.path-style", "true");
    }

    /**
     * Secrets go through the environment (Quarkus maps MESHFL_X_Y to meshfl.x-y), never onto a command line that
     * any local user can read with ps.
     */
    private static Map<String, String> secretOf(S3Principal principal) {
        return Map.of("MESHFL_OBJECT_STORE_SECRET_KEY", principal.secretKey());
    }

    private <T extends AutoCloseable> T remember(T service) {
        synchronized (started) {
            started.push(service);
        }
        return service;
    }

    public LocalObjectStoreServer objectStore() {
        return objectStore;
    }

    /** The identities of the object store and the IAM documents each is judged by. */
    public FederationAccess access() {
        return access;
    }

    public EventBridge bridge() {
        return bridge;
    }

    /** Where the registry's round events arrive (logs/round-events.jsonl). */
    public RoundEventLog roundEvents() {
        return roundEvents;
    }

    public URI registry() {
        return registry.uri();
    }

    public URI aggregation() {
        return aggregation.uri();
    }

    /** The training function serving {@code domain}: its scheduler's target. */
    public URI training(String domain) {
        return training.get(domain).uri();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("meshfl: could not stop " + service + ": " + e.getMessage());
            }
        }
    }
}
