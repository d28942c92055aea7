package io.meshfl.mesh.demo;

import io.meshfl.mesh.database.LocalDatabase;
import io.meshfl.mesh.deploy.RenderedEnvironments;
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
import io.meshfl.launcher.LoopbackPorts;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
        return start(layout, state, jars, trust, signingKeys, access, RenderedEnvironments.shipped(), sweepPeriod,
                Set.of(), out);
    }

    /**
     * As above, every function started with its container's environment in {@code environments} (what the Knative
     * modules render), and without a training function for the {@code external} domains: a client outside the mesh
     * plays them (their S3 identities exist all the same).
     */
    public static LocalMesh start(MeshLayout layout, MeshState state, FunctionJars jars, RegistryTrust trust,
                                  Map<String, DomainSigningKey> signingKeys, MeshAccess access,
                                  RenderedEnvironments environments, Duration sweepPeriod, Set<String> external,
                                  PrintWriter out) {
        LocalMesh mesh = new LocalMesh(access.policies());
        try {
            mesh.startAll(layout, state, new RenderedFunctions(environments, layout, jars, trust), trust, signingKeys,
                    access.audit(), sweepPeriod, external, out);
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

    private void startAll(MeshLayout layout, MeshState state, RenderedFunctions functions, RegistryTrust trust,
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
        registry = remember(FunctionProcess.start(functions.registry(database, roundEvents.uri()), layout.logs(),
                READY_TIMEOUT));
        out.printf("  registry            %s  round events to %s%n", registry.uri(), roundEvents.file());
        out.flush();

        // Its registry token is short-lived: a file the mesh renews while it runs, which the function reads again
        // whenever it changes.
        remember(RenewedTokenFile.start(layout.functionToken(), trust.functionToken(), TOKEN_RENEWAL));
        // The first training deployment unpacks libtorch into the shared engine cache; the others start after it
        // and find it there (one unpack of ~430 MB instead of one per domain, and no race between unpackers).
        List<String> domains = new ArrayList<>(signingKeys.keySet());
        domains.removeAll(external);
        RenderedFunctions.ObjectStoreAddress bucket = new RenderedFunctions.ObjectStoreAddress(objectStore.endpoint(),
                objectStore.region(), state.bucket());
        FunctionSpec aggregationSpec = functions.aggregation(aggregationPort, bucket, registry.uri(),
                state.aggregation(access), layout.functionToken());
        CompletableFuture<FunctionProcess> aggregationStart = CompletableFuture.supplyAsync(() ->
                FunctionProcess.start(aggregationSpec, layout.logs(), READY_TIMEOUT));
        Map<String, CompletableFuture<FunctionProcess>> trainingStarts = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (int i = 0; i < domains.size(); i++) {
            String domain = domains.get(i);
            FunctionSpec trainingSpec = functions.training(domain, bucket, registry.uri(),
                    state.domain(access, domain), signingKeys.get(domain));
            trainingStarts.put(domain, CompletableFuture.supplyAsync(() ->
                    FunctionProcess.start(trainingSpec, layout.logs(), READY_TIMEOUT)));
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
        out.printf("  every function started with the environment of %s%n",
                functions.source().equals(RenderedEnvironments.RESOURCE)
                        ? "infra/terraform/modules/{federation,domain}-knative" : functions.source());
        out.flush();
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
