package io.meshfl.mesh.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.mesh.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Creates the federation through the registry's API, as a governance team and its domains would, and leaves
 * alone whatever already exists (a resumed mesh finds it all in place):
 * domains with their public keys; each domain publishes its rows under its own prefix and registers its data
 * product with its own token; the model; the enrolments; the initial global model; round 1.
 */
public final class FederationSetup {

    private final RegistryClient registry;
    private final ObjectStore objectStore;
    private final Function<String, ObjectStore> domainStore;
    private final String governanceToken;
    private final Function<String, String> domainToken;

    /**
     * @param objectStore the governance's view of the federation's bucket
     * @param domainStore each domain's own view of it (its own S3 identity)
     */
    public FederationSetup(RegistryClient registry, ObjectStore objectStore, Function<String, ObjectStore> domainStore,
                           String governanceToken, Function<String, String> domainToken) {
        this.registry = registry;
        this.objectStore = objectStore;
        this.domainStore = domainStore;
        this.governanceToken = governanceToken;
        this.domainToken = domainToken;
    }

    public void ensureDomain(String domain, DomainSigningKey key) {
        if (registry.find("/domains/" + domain, governanceToken).isEmpty()) {
            registry.post("/domains", Map.of("id", domain, "name", "Domain " + domain, "owner",
                    domain + "-team@meshfl.local", "publicKey", key.publicKeyBase64()), governanceToken);
        }
    }

    /** The domain uploads its rows to its own prefix and registers the descriptor with its own token. */
    public void publish(DomainDataProduct product) {
        domainStore.apply(product.domain()).put(product.objectKey(), product.rowsFile(),
                Map.of("data-product", product.descriptor().id()));
        String token = domainToken.apply(product.domain());
        if (registry.find("/data-products/" + product.descriptor().id(), token).isEmpty()) {
            try {
                registry.post("/data-products", Files.readString(product.descriptorFile(), StandardCharsets.UTF_8),
                        "application/yaml", token);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + product.descriptorFile(), e);
            }
        }
    }

    public void ensureModel(ModelPlan plan) {
        if (registry.find("/models/" + plan.id(), governanceToken).isEmpty()) {
            registry.post("/models", plan.definition(), governanceToken);
        }
    }

    public void ensureEnrolments(ModelPlan plan, List<DomainDataProduct> products) {
        Set<String> enrolled = new HashSet<>();
        for (JsonNode enrolment : registry.get("/models/" + plan.id() + "/enrolments", governanceToken)) {
            enrolled.add(enrolment.path("domain").asText());
        }
        for (DomainDataProduct product : products) {
            if (!enrolled.contains(product.domain())) {
                registry.post("/models/" + plan.id() + "/enrolments",
                        Map.of("domain", product.domain(), "dataProduct", product.descriptor().id()), governanceToken);
            }
        }
    }

    /** Uploads global model 1 (if absent) and opens round 1 (if no round is open yet); returns the current round. */
    public JsonNode ensureFirstRound(ModelPlan plan, Path workDir) {
        String key = plan.globalModelKey(1);
        Path file = workDir.resolve("global-1.safetensors");
        try {
            Files.createDirectories(workDir);
            if (objectStore.head(key).isEmpty()) {
                InitialWeights.glorotUniform(plan, plan.seed()).write(file, Map.of("round", "1", "model", plan.id()));
                objectStore.put(key, file, Map.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the initial global model under " + workDir, e);
        }
        String current = "/models/" + plan.id() + "/rounds/current";
        return registry.find(current, governanceToken).orElseGet(() -> {
            // The registry records the initial model's checksum, which every trainer checks before using it.
            registry.post("/models/" + plan.id() + "/rounds", Map.of("globalModelChecksum", checksum(key, file)),
                    governanceToken);
            return registry.get(current, governanceToken);
        });
    }

    /** The data SHA-256 of the object at {@code key}, read through a local copy at {@code file}. */
    private String checksum(String key, Path file) {
        try {
            objectStore.download(key, file);
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                return reader.dataSha256();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the initial global model " + key, e);
        }
    }
}
