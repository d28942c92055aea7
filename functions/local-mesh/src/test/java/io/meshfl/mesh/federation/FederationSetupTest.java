package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.dataproduct.DataProductFiles;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.mesh.dataset.DomainShare;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.dataset.GaussianMixtureGenerator;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.testing.RegistryProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The federation created through the real registry (packaged, child process) and a real S3 server. */
class FederationSetupTest {

    @TempDir
    static Path dir;

    private static RegistryProcess registryProcess;
    private static LocalObjectStoreServer s3;
    private static S3ObjectStore store;
    private static final Map<String, S3ObjectStore> domainStores = new HashMap<>();
    private static LocalTokenIssuer issuer;
    private static RegistryConnection registry;
    private static FederationSetup setup;
    private static ModelPlan plan;
    private static final List<DomainDataProduct> products = new ArrayList<>();

    @BeforeAll
    static void createTheFederationOnce() {
        registryProcess = RegistryProcess.start();
        issuer = registryProcess.issuer();
        // Strict: an answer with a field the API's records do not know fails the test (drift between the two).
        registry = RegistryConnection.to(registryProcess.baseUrl()).strict();
        FederationAccess access = FederationAccess.rendered("meshfl", List.of("alpha", "beta"));
        s3 = LocalObjectStoreServer.start(dir.resolve("objects"), "meshfl", 0, List.of(
                new S3Principal("access", "secret", access.governance()),
                new S3Principal("alpha-access", "alpha-secret", access.domain("alpha")),
                new S3Principal("beta-access", "beta-secret", access.domain("beta"))), event -> { });
        store = connect("access", "secret");
        domainStores.put("alpha", connect("alpha-access", "alpha-secret"));
        domainStores.put("beta", connect("beta-access", "beta-secret"));
        var data = new GaussianMixtureGenerator(600, 4, 3, 1, 2.0).generate(1);
        FederatedSplit split = FederatedSplit.of(data, List.of("alpha", "beta"), 1.0, 1);
        DataProductFiles files = new DataProductFiles(dir.resolve("domains"), "meshfl", List.of("demo-classification"));
        for (DomainShare share : split.shares()) {
            products.add(files.write(share, "mixture"));
        }
        plan = ModelPlan.demo("mixture", "demo-classification", 4, 3, "fedavg", 2, 7);
        // As in the demo: a domain's training identity may write only its update (the rendered policy), so the
        // rows are uploaded by the operator; the descriptor is still registered with the domain's own token.
        setup = new FederationSetup(registry, store, domain -> store, issuer::governance, issuer::domain);
        runSetup();
    }

    private static RoundView runSetup() {
        for (DomainDataProduct product : products) {
            setup.ensureDomain(product.domain(), DomainSigningKey.loadOrCreate(dir.resolve("keys").resolve(product.domain())));
            setup.publish(product);
        }
        setup.ensureModel(plan);
        setup.ensureEnrolments(plan, products);
        return setup.ensureFirstRound(plan, dir.resolve("work"));
    }

    private static S3ObjectStore connect(String accessKey, String secretKey) {
        return S3ObjectStore.connect(new S3Settings("meshfl", "us-east-1", Optional.of(s3.endpoint()), true,
                Optional.of(accessKey), Optional.of(secretKey)));
    }

    @AfterAll
    static void stop() {
        domainStores.values().forEach(S3ObjectStore::close);
        store.close();
        s3.close();
        registryProcess.close();
    }

    @Test
    void domainsAreEnrolledWithTheirPublicKeys() {
        var domain = registry.as(issuer.governance()).domain("alpha").orElseThrow();

        assertThat(domain.publicKey())
                .isEqualTo(DomainSigningKey.loadOrCreate(dir.resolve("keys/alpha")).publicKeyBase64());
    }

    @Test
    void theRegistryAcceptsTheDescriptorAndReadsItsSchemaLocationAndPurposes() {
        DomainDataProduct product = products.get(0);

        JsonNode registered = registry.as(issuer.domain("alpha")).dataProduct(product.descriptor().id()).orElseThrow();

        assertThat(registered.get("domain").asText()).isEqualTo("alpha");
        assertThat(registered.get("format").asText()).isEqualTo("csv");
        assertThat(registered.get("location").asText()).isEqualTo("s3://meshfl/" + product.objectKey());
        assertThat(registered.get("labelColumn").asText()).isEqualTo("label");
        assertThat(registered.get("columns")).hasSize(5);
        assertThat(registered.get("purposes").get(0).asText()).isEqualTo("demo-classification");
        assertThat(store.head(product.objectKey())).isPresent();
    }

    @Test
    void theModelIsRegisteredWithBothDomainsEnrolledAndRoundOneOpenOnTheInitialGlobalModel() throws Exception {
        RoundView current = registry.as(issuer.governance()).currentRound(plan.id()).orElseThrow();

        assertThat(registry.as(issuer.governance()).enrolments(plan.id())).hasSize(2);
        assertThat(current.number()).isEqualTo(1);
        assertThat(current.state()).isEqualTo(RoundState.OPEN);
        assertThat(current.globalModelKey()).isEqualTo(plan.globalModelKey(1));
        Path global = dir.resolve("downloaded-global-1.safetensors");
        store.download(plan.globalModelKey(1), global);
        ModelWeights weights = ModelWeights.read(global);
        assertThat(weights.manifest().names()).containsExactly("layers.0.weight", "layers.0.bias", "layers.1.weight",
                "layers.1.bias");
        assertThat(weights.manifest().tensors().get(0).shape()).containsExactly(32L, 4L);
        assertThat(weights.manifest().tensors().get(2).shape()).containsExactly(3L, 32L);
        // the registry holds the initial model's checksum, which trainers verify before use
        try (var reader = io.meshfl.core.safetensors.SafetensorsReader.open(global)) {
            assertThat(current.globalModelChecksum()).isEqualTo(reader.dataSha256());
        }
    }

    @Test
    void runningTheSetUpAgainChangesNothing() {
        RoundView again = runSetup();

        assertThat(again.number()).isEqualTo(1);
        assertThat(registry.as(issuer.governance()).enrolments(plan.id())).hasSize(2);
        assertThat(registry.as(issuer.governance()).domains()).hasSize(2);
    }

    @Test
    void theModelsPolicyCarriesThePlansQuorumAndDeadline() {
        JsonNode policy = registry.as(issuer.governance()).model(plan.id()).orElseThrow().get("policy");
        RoundView current = registry.as(issuer.governance()).currentRound(plan.id()).orElseThrow();

        assertThat(policy.get("minDomains").asInt()).isEqualTo(2);
        assertThat(policy.get("maxDomains").asInt()).isEqualTo(2);
        assertThat(policy.get("roundDeadlineSeconds").asLong()).isEqualTo(ModelPlan.DEFAULT_DEADLINE_SECONDS);
        assertThat(current.policy().minDomains()).isEqualTo(2);
        assertThat(plan.withParticipation(1, 20).definition().get("policy"))
                .isEqualTo(Map.of("minDomains", 1, "maxDomains", 2, "roundDeadlineSeconds", 20L));
    }

    @Test
    void resumingWithAnotherQuorumOrDeadlineIsRefusedNamingTheStoredOnes() {
        assertThatThrownBy(() -> setup.ensureModel(plan.withParticipation(1, 600)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--min-domains 2 --deadline 600").hasMessageContaining("--fresh");
        assertThatThrownBy(() -> setup.ensureModel(plan.withParticipation(2, 20)))
                .hasMessageContaining("--min-domains 2 --deadline 600");
    }
}
