package io.meshfl.mesh.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.registry.api.DomainRegistration;
import io.meshfl.registry.api.EnrolmentView;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RoundView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Creates the federation through the registry's API, as a governance team and its domains would, and leaves
 * alone whatever already exists (a resumed mesh finds it all in place):
 * domains with their public keys; each domain publishes its rows under its own prefix and registers its data
 * product with its own token; the model; the enrolments; the initial global model; round 1.
 */
public final class FederationSetup {

    private final RegistryConnection registry;
    private final RegistryClient governance;
    private final ObjectStore objectStore;
    private final Function<String, ObjectStore> domainStore;
    private final Function<String, String> domainToken;

    /**
     * @param objectStore the governance's view of the federation's bucket
     * @param domainStore each domain's own view of it (its own S3 identity)
     */
    public FederationSetup(RegistryConnection registry, ObjectStore objectStore, Function<String, ObjectStore> domainStore,
                           Supplier<String> governanceToken, Function<String, String> domainToken) {
        this.registry = registry;
        this.governance = registry.as(governanceToken);
        this.objectStore = objectStore;
        this.domainStore = domainStore;
        this.domainToken = domainToken;
    }

    public void ensureDomain(String domain, DomainSigningKey key) {
        if (governance.domain(domain).isEmpty()) {
            governance.registerDomain(new DomainRegistration(domain, "Domain " + domain,
                    domain + "-team@meshfl.local", key.publicKeyBase64()));
        }
    }

    /** The domain uploads its rows to its own prefix and registers the descriptor with its own token. */
    public void publish(DomainDataProduct product) {
        domainStore.apply(product.domain()).put(product.objectKey(), product.rowsFile(),
                Map.of("data-product", product.descriptor().id()));
        RegistryClient owner = registry.as(domainToken.apply(product.domain()));
        if (owner.dataProduct(product.descriptor().id()).isEmpty()) {
            try {
                owner.registerDataProduct(Files.readString(product.descriptorFile(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + product.descriptorFile(), e);
            }
        }
    }

    /**
     * Registers the model, or checks that the one registered has the plan's quorum and deadline: a resumed federation
     * keeps its policy, and a run asking for another one is refused rather than silently run under the old one.
     */
    public void ensureModel(ModelPlan plan) {
        Optional<JsonNode> registered = governance.model(plan.id());
        if (registered.isEmpty()) {
            governance.registerModel(plan.definition());
            return;
        }
        JsonNode policy = registered.get().path("policy");
        boolean async = "async".equals(policy.path("mode").asText());
        if (async != plan.async() || async && policy.path("bufferSize").asInt() != plan.bufferSize()) {
            throw new IllegalStateException("Model " + plan.id() + " is registered with --aggregation "
                    + (async ? "async --buffer-size " + policy.path("bufferSize").asInt() : "sync")
                    + "; run with that to resume it, or add --fresh to start over");
        }
        if (!async && policy.path("minDomains").asInt() != plan.minDomains()
                || policy.path("roundDeadlineSeconds").asLong() != plan.roundDeadlineSeconds()) {
            throw new IllegalStateException("Model " + plan.id() + " is registered with --min-domains "
                    + policy.path("minDomains").asInt() + " --deadline " + policy.path("roundDeadlineSeconds").asLong()
                    + "; run with those to resume it, or add --fresh to start over");
        }
        if (policy.path("resubmit").asBoolean(false) != plan.resubmit()) {
            throw new IllegalStateException("Model " + plan.id() + " is registered "
                    + (plan.resubmit() ? "without" : "with") + " --resubmit; run "
                    + (plan.resubmit() ? "without" : "with") + " it to resume it, or add --fresh to start over");
        }
    }

    public void ensureEnrolments(ModelPlan plan, List<DomainDataProduct> products) {
        Set<String> enrolled = new HashSet<>();
        for (EnrolmentView enrolment : governance.enrolments(plan.id())) {
            enrolled.add(enrolment.domain());
        }
        for (DomainDataProduct product : products) {
            if (!enrolled.contains(product.domain())) {
                governance.enrol(plan.id(), product.domain(), product.descriptor().id());
            }
        }
    }

    /** Uploads global model 1 (if absent) and opens round 1 (if no round is open yet); returns the current round. */
    public RoundView ensureFirstRound(ModelPlan plan, Path workDir) {
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
        // The registry records the initial model's checksum, which every trainer checks before using it.
        return governance.currentRound(plan.id())
                .orElseGet(() -> governance.openRound(plan.id(), checksum(key, file)));
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
