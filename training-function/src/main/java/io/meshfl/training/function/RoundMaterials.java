package io.meshfl.training.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.registry.api.RoundView;
import io.meshfl.training.dataproduct.Column;
import io.meshfl.training.dataproduct.ColumnType;
import io.meshfl.training.dataproduct.DataProductException;
import io.meshfl.training.dataproduct.DataProductFile;
import io.meshfl.training.dataproduct.DataProductFormat;
import io.meshfl.training.dataproduct.DataProductReader;
import io.meshfl.training.dataproduct.DataProductSchema;
import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.dataproduct.Target;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.Task;
import io.meshfl.training.train.OptimizerKind;
import io.meshfl.training.train.RoundRecipe;
import io.meshfl.training.train.TrainingSettings;
import io.meshfl.training.weights.AlteredGlobalModelException;
import io.meshfl.training.weights.GlobalModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.jboss.logging.Logger;

/**
 * What a round gives a domain to train with: the model's settings from the registry turned into an architecture and
 * a {@link RoundRecipe}, and the domain's data product and the round's global model read from the object store.
 * Anything unusable is a {@link TrainingRefused} (4xx) that names what is wrong, before anything is trained.
 */
final class RoundMaterials {

    private static final Logger LOG = Logger.getLogger(RoundMaterials.class);

    private final ObjectStore store;
    private final DataProductReader reader;
    private final ObjectMapper json = new ObjectMapper();

    RoundMaterials(ObjectStore store, DataProductReader reader) {
        this.store = store;
        this.reader = reader;
    }

    /** The model's architecture as the registry gives it. */
    Architecture architecture(RoundView round) {
        try {
            return json.treeToValue(round.architecture(), Architecture.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new TrainingRefused(422, "Unsupported architecture", "Model '" + round.model()
                    + "' has an architecture the training function cannot build: " + rootMessage(e), e);
        }
    }

    /** The model's settings as the registry gives them; {@link RoundRecipe} turns them into the round's. */
    RoundRecipe recipe(RoundView round, double holdOutFraction) {
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
            return new RoundRecipe(base, FeatureScaling.of(training.featureScaling()), holdOutFraction);
        } catch (IllegalArgumentException e) {
            throw new TrainingRefused(422, "Unusable training configuration", "Model '" + round.model() + "': "
                    + e.getMessage(), e);
        }
    }

    /** Downloads the domain's enrolled data product into {@code runDir} and reads it as the model's inputs. */
    TabularData dataProduct(RoundView.Enrolment enrolment, Architecture architecture, Path runDir) {
        try {
            DataProductFormat format = DataProductFormat.of(String.valueOf(enrolment.format()));
            String key = keyInBucket(enrolment);
            if (store.head(key).isEmpty()) {
                throw new DataProductException("data product '" + enrolment.dataProduct() + "' has no object at "
                        + enrolment.location());
            }
            Path file = runDir.resolve("data-product." + format.name().toLowerCase(Locale.ROOT));
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

    HoldOutSplit split(TabularData data, RoundRecipe recipe, int round) {
        try {
            return recipe.split(data, round);
        } catch (DataProductException e) {
            throw new TrainingRefused(422, "Unusable data product", e.getMessage(), e);
        }
    }

    /** Downloads the round's global model and checks it against the registry's checksum. */
    GlobalModel globalModel(RoundView round, Architecture architecture, Path runDir)
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
            architecture.requireFits(global.weights());
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

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
