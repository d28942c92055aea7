package io.meshfl.training.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.update.DomainPrivateKey;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.core.update.UpdateWriter;
import io.meshfl.registry.api.MetricsReport;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundView;
import io.meshfl.training.dataproduct.Column;
import io.meshfl.training.dataproduct.ColumnType;
import io.meshfl.training.dataproduct.DataProductException;
import io.meshfl.training.dataproduct.DataProductFile;
import io.meshfl.training.dataproduct.DataProductFormat;
import io.meshfl.training.dataproduct.DataProductReader;
import io.meshfl.training.dataproduct.DataProductSchema;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.dataproduct.Target;
import io.meshfl.training.evaluate.Evaluator;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.model.Task;
import io.meshfl.training.train.LocalTrainer;
import io.meshfl.training.train.LocalUpdate;
import io.meshfl.training.train.OptimizerKind;
import io.meshfl.training.train.RoundRecipe;
import io.meshfl.training.train.TrainingSettings;
import io.meshfl.training.weights.AlteredGlobalModelException;
import io.meshfl.training.weights.GlobalModel;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
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
    private final DataProductReader reader;
    private final LocalTrainer trainer = new LocalTrainer();
    private final Evaluator evaluator = new Evaluator();
    private final ObjectMapper json = new ObjectMapper();

    DomainTraining(TrainingConfig config, RegistryConnection registry, ObjectStore store) {
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.updateWriter = new UpdateWriter(signer(config));
        this.reader = new DataProductReader(config.threads().orElse(1));
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
        Architecture architecture = architecture(round);
        RoundRecipe recipe = recipe(round);
        HoldOutSplit split = split(readDataProduct(round.enrolment(), architecture, runDir), recipe, round.number());
        GlobalModel global = readGlobalModel(round, architecture, runDir);

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
        StoredObject stored = store.put(updateKey, file, Map.of());
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

    private Architecture architecture(RoundView round) {
        try {
            return json.treeToValue(round.architecture(), Architecture.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new TrainingRefused(422, "Unsupported architecture", "Model '" + round.model()
                    + "' has an architecture the training function cannot build: " + rootMessage(e), e);
        }
    }

    /** The model's settings as the registry gives them; {@link RoundRecipe} turns them into the round's. */
    private RoundRecipe recipe(RoundView round) {
        RoundView.TrainingSpec training = round.training();
        RoundView.Policy policy = round.policy();
        try {
            if (training == null || training.localEpochs() == null || training.batchSize() == null
                    || training.learningRate() == null || training.optimizer() == null) {
                throw new IllegalArgumentException(
                        "training needs localEpochs, batchSize, learningRate and optimizer");
            }
            double mu = policy == null || policy.fedproxMu() == null ? 0 : policy.fedproxMu();
            OptionalDouble clip = policy == null || policy.dp() == null || policy.dp().clipNorm() == null
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(policy.dp().clipNorm());
            TrainingSettings base = new TrainingSettings(training.localEpochs(), training.batchSize(),
                    training.learningRate().floatValue(), OptimizerKind.of(training.optimizer()),
                    training.seed() == null ? 0 : training.seed(), mu, clip);
            return new RoundRecipe(base, FeatureScaling.of(training.featureScaling()), config.holdOutFraction());
        } catch (IllegalArgumentException e) {
            throw new TrainingRefused(422, "Unusable training configuration", "Model '" + round.model() + "': "
                    + e.getMessage(), e);
        }
    }

    private TabularData readDataProduct(RoundView.Enrolment enrolment, Architecture architecture, Path runDir) {
        try {
            DataProductFormat format = DataProductFormat.of(String.valueOf(enrolment.format()));
            String key = keyInBucket(enrolment);
            if (store.head(key).isEmpty()) {
                throw new DataProductException("data product '" + enrolment.dataProduct() + "' has no object at "
                        + enrolment.location());
            }
            Path file = runDir.resolve("data-product." + format.name().toLowerCase(java.util.Locale.ROOT));
            store.download(key, file);
            DataProductSchema schema = new DataProductSchema(enrolment.columns() == null ? List.of()
                    : enrolment.columns().stream().map(c -> new Column(c.name(), ColumnType.of(c.logicalType())))
                            .toList(), enrolment.labelColumn());
            if (schema.features().size() != architecture.inputs()) {
                throw new DataProductException("data product '" + enrolment.dataProduct() + "' has "
                        + schema.features().size() + " numeric feature columns " + schema.features().stream()
                                .map(Column::name).toList() + " but the model takes " + architecture.inputs()
                        + " inputs");
            }
            Target target = architecture.task() == Task.CLASSIFICATION
                    ? Target.classes(schema.label(), architecture.outputs())
                    : new Target.Continuous();
            return reader.read(new DataProductFile(enrolment.dataProduct(), file, format), schema, target);
        } catch (DataProductException e) {
            throw new TrainingRefused(422, "Unusable data product", e.getMessage(), e);
        }
    }

    /** The object key of an {@code s3://bucket/key} location, which must be in the bucket this function reads. */
    private String keyInBucket(RoundView.Enrolment enrolment) {
        String location = String.valueOf(enrolment.location());
        String prefix = "s3://" + store.bucket() + "/";
        if (!location.startsWith(prefix) || location.length() == prefix.length()) {
            throw new DataProductException("data product '" + enrolment.dataProduct() + "' is at " + location
                    + ", outside the bucket this function reads (s3://" + store.bucket() + "/)");
        }
        return location.substring(prefix.length());
    }

    private HoldOutSplit split(TabularData data, RoundRecipe recipe, int round) {
        try {
            return recipe.split(data, round);
        } catch (DataProductException e) {
            throw new TrainingRefused(422, "Unusable data product", e.getMessage(), e);
        }
    }

    private GlobalModel readGlobalModel(RoundView round, Architecture architecture, Path runDir)
            throws IOException {
        String key = round.globalModelKey();
        if (key == null || store.head(key).isEmpty()) {
            throw new TrainingRefused(409, "Global model missing", "Round " + round.number() + " of model '"
                    + round.model() + "' has no global model at " + key);
        }
        Path file = runDir.resolve("global.safetensors");
        store.download(key, file);
        if (round.globalModelChecksum() == null) {
            LOG.warnf("The registry recorded no checksum for the global model %s of round %d: trained from it "
                    + "unchecked", key, round.number());
        }
        try {
            GlobalModel global = GlobalModel.read(file, round.globalModelChecksum());
            global.weights().requireFits(architecture);
            return global;
        } catch (AlteredGlobalModelException e) {
            throw new TrainingRefused(409, "Global model altered", "The global model " + key + " of round "
                    + round.number() + " does not match the registry's record: " + e.getMessage()
                    + "; nothing was trained from it", e);
        } catch (SafetensorsFormatException | IllegalArgumentException e) {
            throw new TrainingRefused(422, "Unusable global model", "The global model " + key + " of round "
                    + round.number() + " cannot be loaded: " + e.getMessage(), e);
        }
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
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new TrainingRefused(400, "Bad request", "'" + field + "' must be an id (letters, digits, '.', '_' "
                    + "or '-', at most 63), was '" + value + "'");
        }
        return value;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
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
