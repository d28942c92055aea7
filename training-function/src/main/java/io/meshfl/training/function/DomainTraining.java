package io.meshfl.training.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.keys.ResourceId;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.update.DomainPrivateKey;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.core.update.UpdateWriter;
import io.meshfl.registry.api.MetricsReport;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundView;
import io.meshfl.training.dataproduct.DataProductReader;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.evaluate.Evaluator;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.train.LocalTrainer;
import io.meshfl.training.train.LocalUpdate;
import io.meshfl.training.train.RoundRecipe;
import io.meshfl.training.weights.GlobalModel;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One domain's part in a round: read the round from the registry, train on the domain's data product from the
 * global model, report the global model's hold-out metrics, and write the signed update. Every binding (HTTP,
 * Lambda, Knative) calls this.
 *
 * <p>Idempotent per (model, round, domain): if the update object exists, its key is returned and nothing is
 * trained. Every refusal happens before the upload, so a refused trigger leaves the bucket as it was.
 *
 * <p>Created at start, so a signing key that is not the domain's Ed25519 key fails the start, not the first round.
 */
@Startup
@ApplicationScoped
public class DomainTraining {

    private static final Logger LOG = Logger.getLogger(DomainTraining.class);

    private final TrainingConfig config;
    private final RegistryConnection registry;
    private final ObjectStore store;
    private final UpdateWriter updateWriter;
    private final RoundMaterials materials;
    private final LocalTrainer trainer = new LocalTrainer();
    private final Evaluator evaluator = new Evaluator();
    private final ObjectMapper json = new ObjectMapper();

    DomainTraining(TrainingConfig config, RegistryConnection registry, ObjectStore store) {
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.updateWriter = new UpdateWriter(signer(config));
        this.materials = new RoundMaterials(store, new DataProductReader(config.threads().orElse(1)));
    }

    private static UpdateSigner signer(TrainingConfig config) {
        try {
            return new UpdateSigner(DomainPrivateKey.parse(config.signingKey()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("meshfl.training.signing-key is not the domain's Ed25519 private key: "
                    + e.getMessage(), e);
        }
    }

    /** Trains with the token the function was configured with (schedules and round events carry none). */
    public TrainResult trainWithOwnToken(TrainRequest request) {
        String token = config.registryToken().orElseThrow(() -> new IllegalStateException(
                "meshfl.training.registry-token is not set: event triggers need the domain's registry token"));
        return train(request, token);
    }

    /** @throws TrainingRefused for anything the caller can fix; nothing is uploaded then */
    public TrainResult train(TrainRequest request, String token) {
        String model = requireId(request == null ? null : request.model(), "model");
        String domain = requireId(request.domain(), "domain");
        if (!domain.equals(config.domain())) {
            throw new TrainingRefused(403, "Wrong domain", "This training function trains for domain '"
                    + config.domain() + "', not '" + domain + "'");
        }
        Optional<String> tokenDomain = TokenDomain.of(token);
        if (tokenDomain.isPresent() && !tokenDomain.get().equals(config.domain())) {
            throw new TrainingRefused(403, "Wrong domain", "The token acts for domain '" + tokenDomain.get()
                    + "'; this training function trains for domain '" + config.domain() + "' only");
        }
        RoundView round = currentRound(model, token);
        if (!round.isOpen()) {
            throw new TrainingRefused(409, "Round not open", "Round " + round.number() + " of model '" + model
                    + "' is " + round.state() + "; training waits for the next open round");
        }
        RoundView.Enrolment enrolment = round.enrolment();
        if (enrolment == null) {
            throw new TrainingRefused(403, "Not enrolled", "Domain '" + domain + "' is not enrolled for model '"
                    + model + "'");
        }
        if (round.expectedDomains() != null && !round.expectedDomains().contains(domain)) {
            // Not sampled, or enrolled after the round opened: the registry would reject the update anyway.
            throw new TrainingRefused(409, "Not expected in this round", "Round " + round.number() + " of model '"
                    + model + "' expects " + round.expectedDomains() + ", fixed when it opened; domain '" + domain
                    + "' trains in a later round it is expected in");
        }
        if (request.dataProduct() != null && !request.dataProduct().equals(enrolment.dataProduct())) {
            throw new TrainingRefused(403, "Data product not approved", "Data product '" + request.dataProduct()
                    + "' is not approved for model '" + model + "'; domain '" + domain + "' is enrolled with '"
                    + enrolment.dataProduct() + "'");
        }
        String updateKey = new UpdateKey(model, round.number(), domain).key();
        Optional<StoredObject> existing = store.head(updateKey);
        if (existing.isPresent()) {
            LOG.infof("Update %s exists already: not training again", updateKey);
            return TrainResult.existing(model, round.number(), domain, updateKey, existing.get().etag());
        }
        Path runDir = config.workDir().resolve("runs").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(runDir);
            return trainAndUpload(round, domain, updateKey, runDir, token);
        } catch (IOException e) {
            throw new UncheckedIOException("Local files of the training run in " + runDir + " failed", e);
        } finally {
            deleteQuietly(runDir);
        }
    }

    private TrainResult trainAndUpload(RoundView round, String domain, String updateKey, Path runDir, String token)
            throws IOException {
        String model = round.model();
        Architecture architecture = materials.architecture(round);
        RoundRecipe recipe = materials.recipe(round, config.holdOutFraction());
        HoldOutSplit split = materials.split(materials.dataProduct(round.enrolment(), architecture, runDir), recipe,
                round.number());
        GlobalModel global = materials.globalModel(round, architecture, runDir);

        Metrics globalMetrics;
        Metrics localMetrics;
        LocalUpdate update;
        try (TabularModel tabular = TabularModel.of(architecture, global.weights())) {
            globalMetrics = evaluator.evaluate(tabular, split.holdOut());
            update = trainer.train(tabular, global.weights(), split.train(), recipe.settings(round.number()));
            localMetrics = evaluator.evaluate(tabular, split.holdOut());
        }
        reportGlobalMetrics(round, domain, split.holdOut().rows(), globalMetrics, token);

        Path file = runDir.resolve("update.safetensors");
        updateWriter.write(file, global.layout(update.weights()), UpdateMetadata.unsigned(model, domain,
                round.number(), global.sha256(), update.examples(), metricsJson(localMetrics, update)));
        // Conditional: two triggers of the same round (a schedule and a round event, a retried invocation) may
        // both train; the first upload is the domain's update and the other must not replace it under the
        // aggregator, which registers exactly one file per domain and round.
        Optional<StoredObject> created = store.putIfAbsent(updateKey, file, Map.of());
        if (created.isEmpty()) {
            StoredObject winner = store.head(updateKey).orElseThrow(() -> new IllegalStateException(
                    "The conditional upload of " + updateKey + " found an object that is gone now"));
            LOG.infof("Update %s was written meanwhile by another invocation: keeping it, discarding this one",
                    updateKey);
            return TrainResult.existing(model, round.number(), domain, updateKey, winner.etag());
        }
        StoredObject stored = created.get();
        LOG.infof("Wrote %s: %d examples, hold-out loss %.4f -> %.4f, update norm %.4f%s", updateKey,
                update.examples(), globalMetrics.loss(), localMetrics.loss(), update.updateNorm(),
                update.clipped() ? " (clipped)" : "");
        return new TrainResult(model, round.number(), domain, updateKey, stored.etag(), true, update.examples(),
                globalMetrics.values(), localMetrics.values());
    }

    private RoundView currentRound(String model, String token) {
        try {
            return registry.as(token).currentRound(model).orElseThrow(() -> new TrainingRefused(404,
                    "No open round", "Model '" + model + "' has no round (unknown model, or none opened yet)"));
        } catch (RegistryException e) {
            throw refusedOrBroken(e);
        }
    }

    private void reportGlobalMetrics(RoundView round, String domain, int examples, Metrics metrics, String token) {
        try {
            registry.as(token).reportMetrics(round.roundId(), new MetricsReport(domain, examples, metrics.values()));
        } catch (RegistryException e) {
            throw refusedOrBroken(e);
        }
    }

    /** A 4xx is the caller's to fix and is passed on; an unreachable or failing registry is worth a retry. */
    private static RuntimeException refusedOrBroken(RegistryException e) {
        if (e.transientFailure()) {
            return e;
        }
        return new TrainingRefused(e.status(), "Refused by the registry", e.getMessage(), e);
    }

    private String metricsJson(Metrics metrics, LocalUpdate update) {
        Map<String, Object> values = new LinkedHashMap<>(metrics.values());
        values.put("holdout_examples", metrics.examples());
        values.put("train_loss", update.trainingLoss());
        values.put("update_norm", update.updateNorm());
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbers always serialise", e);
        }
    }

    private static String requireId(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new TrainingRefused(400, "Bad request", "'" + field + "' is required");
        }
        if (!ResourceId.isValid(value)) {
            throw new TrainingRefused(400, "Bad request", "'" + field + "' must be an id (" + ResourceId.RULE
                    + "), was '" + value + "'");
        }
        return value;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warnf("Could not delete %s: %s", path, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warnf("Could not clean up %s: %s", dir, e.getMessage());
        }
    }
}
