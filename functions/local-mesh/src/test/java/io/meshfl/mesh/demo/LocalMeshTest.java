package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.core.update.UpdateWriter;
import io.meshfl.mesh.dataproduct.DataProductFiles;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.mesh.dataset.DomainShare;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.deploy.RenderedEnvironments;
import io.meshfl.mesh.federation.FederationSetup;
import io.meshfl.mesh.federation.ModelPlan;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.FederationAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole set of services on real processes: PostgreSQL, S3Proxy, and the packaged registry, aggregation and
 * training functions of this build (dependencies of this module: Maven resolves them, see its POM). The aggregation
 * function runs with a small limit of bytes per invocation, so that a tiny round goes through sharded aggregation
 * driven by the mesh's own event routing (issue 18).
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

    /**
     * What federation-knative renders for the aggregation container with {@code aggregation_max_bytes_per_invocation
     * = 1024} (its main.tf adds exactly this variable then): the shipped rendering plus that one variable.
     */
    private Path renderedWithShardingAt(long maxBytes) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode rendered;
        try (InputStream in = RenderedEnvironments.class.getResourceAsStream(RenderedEnvironments.RESOURCE)) {
            rendered = json.readTree(in);
        }
        ((ArrayNode) rendered.at("/functions/aggregation/env")).addObject()
                .put("name", "MESHFL_AGGREGATION_SHARDING_MAX_BYTES_PER_INVOCATION").put("value", Long.toString(maxBytes));
        Path file = dir.resolve("rendered-environments.json");
        json.writeValue(file.toFile(), rendered);
        return file;
    }

    @Test
    void everyServiceStartsConfiguredForTheOthersAShardedRoundRunsThroughTheMeshsEventsAndAllStopOnClose()
            throws Exception {
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
                RenderedEnvironments.fromFile(renderedWithShardingAt(1024)), Duration.ofSeconds(1), Set.of(),
                new PrintWriter(out))) {
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

            aShardedRoundCompletesThroughTheMeshsOwnEventsWithTheSingleAggregatorsModel(mesh, layout, state, options,
                    issuer, keys);
        }

        assertThatThrownBy(() -> get(registry.resolve("/q/health/ready"), "")).isInstanceOf(IOException.class);
        assertThat(layout.logs().resolve("registry-function.log")).exists();
        assertThat(layout.logs().resolve("training-function-domain-2.log")).exists();
    }

    /**
     * Governance sets up a FedAvg model through the registry; each domain writes a signed update with its own S3
     * identity (under the rendered IAM documents). From there only the mesh moves the round: the bridge delivers
     * the updates' events, the function closes the round, plans it over the 1024-byte limit and writes the tree's
     * task objects, whose events (routed as the Terraform modules route them) run every node up to the stitch.
     */
    private void aShardedRoundCompletesThroughTheMeshsOwnEventsWithTheSingleAggregatorsModel(LocalMesh mesh,
            MeshLayout layout, MeshState state, DemoOptions options, LocalTokenIssuer issuer,
            Map<String, DomainSigningKey> keys) throws Exception {
        // Prepare
        DemoData data = DemoData.of(options);
        FederatedSplit split = FederatedSplit.of(data.dataset().standardized(), options.domainNames(), options.alpha(),
                options.seed());
        DataProductFiles files = new DataProductFiles(layout.domains(), state.bucket(), List.of(DemoRun.PURPOSE));
        RegistryConnection connection = RegistryConnection.to(mesh.registry());
        RegistryClient governance = connection.as(issuer::governance);
        try (MeshStores stores = new MeshStores(mesh.objectStore(), state, mesh.access())) {
            FederationSetup setup = new FederationSetup(connection, stores.governance(), domain -> stores.governance(),
                    issuer::governance, issuer::domain);
            List<DomainDataProduct> products = new ArrayList<>();
            for (DomainShare share : split.shares()) {
                products.add(files.write(share, data.name()));
                setup.ensureDomain(share.domain(), keys.get(share.domain()));
                setup.publish(products.get(products.size() - 1));
            }
            ModelPlan plan = ModelPlan.demo(data.name(), DemoRun.PURPOSE, data.dataset().featureNames().size(),
                    data.dataset().classes().size(), "fedavg", 2, options.seed());
            setup.ensureModel(plan);
            setup.ensureEnrolments(plan, products);
            RoundView first = setup.ensureFirstRound(plan, dir.resolve("governance"));
            Path global = dir.resolve("global-1.safetensors");
            stores.governance().download(first.globalModelKey(), global);
            ModelWeights start = ModelWeights.read(global);
            String base;
            try (SafetensorsReader reader = SafetensorsReader.open(global)) {
                base = reader.dataSha256();
            }
            Map<String, Long> examples = Map.of("domain-1", 8L, "domain-2", 24L);
            List<ModelAggregator.UpdateFile> updates = new ArrayList<>();

            // Execute: each domain writes its update; nothing but the mesh's events drives the round from here.
            for (String domain : options.domainNames()) {
                List<float[]> values = new ArrayList<>();
                for (float[] tensor : start.values()) {
                    float[] moved = tensor.clone();
                    for (int i = 0; i < moved.length; i++) {
                        moved[i] += (domain.equals("domain-1") ? 0.03125f : -0.0625f) * (i % 7 - 3);
                    }
                    values.add(moved);
                }
                Path file = dir.resolve(domain + "-update.safetensors");
                new UpdateWriter(UpdateSigner.fromPkcs8Base64(keys.get(domain).privateKeyBase64())).write(file,
                        new ModelWeights(start.manifest(), values), UpdateMetadata.unsigned(plan.id(), domain,
                                first.number(), base, examples.get(domain), "{}"));
                stores.domain(domain).put(new UpdateKey(plan.id(), first.number(), domain).key(), file, Map.of());
                updates.add(new ModelAggregator.UpdateFile(domain, file, examples.get(domain)));
            }
            RoundView ended = awaitEnded(governance, first.roundId());

            // Assert: the round completed through the tree (a plan of several shards is recorded), and its model is
            // the single aggregator's on the same updates, bit for bit (one leaf per shard: the same sums).
            assertThat(ended.state()).as(ended.failureReason()).isEqualTo(RoundState.CLOSED);
            assertThat(ended.aggregationPlan()).isNotNull();
            assertThat(ended.aggregationPlan().shards()).isGreaterThan(1);
            assertThat(mesh.objectStore().denials()).isEmpty();
            Path published = dir.resolve("global-2.safetensors");
            stores.governance().download(ObjectKeys.globalModel(plan.id(), 2), published);
            Path single = dir.resolve("single.safetensors");
            ModelAggregator.aggregate(StrategyFactory.create("fedavg", Map.of()), global, updates, ServerState.empty(),
                    single, Map.of());
            try (SafetensorsReader expected = SafetensorsReader.open(single);
                 SafetensorsReader actual = SafetensorsReader.open(published)) {
                assertThat(actual.dataSha256()).isEqualTo(expected.dataSha256());
            }
        }
    }

    /** The round as {@code GET /rounds/{id}} shows it (with its aggregation plan) once it has ended. */
    private static RoundView awaitEnded(RegistryClient registry, long roundId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            RoundView round = registry.round(roundId);
            if (round.state() == RoundState.CLOSED || round.state() == RoundState.FAILED) {
                return round;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("round " + roundId + " did not end: " + registry.round(roundId));
    }
}
