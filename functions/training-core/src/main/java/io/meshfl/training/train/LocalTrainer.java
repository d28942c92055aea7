package io.meshfl.training.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a model from the global weights on a domain's training rows: mini-batch epochs with SGD or Adam, FedProx's
 * proximal term when μ > 0, and the update clipped to a norm when asked.
 *
 * <p>Repeatable: the batch order comes from the settings' seed and nothing else is random (the weights start from
 * the global model), so the same inputs give the same weights bit for bit on the same thread count.
 *
 * <p>One training at a time per process ({@link GradientRecording}): concurrent requests queue instead of failing.
 */
public final class LocalTrainer {

    public LocalUpdate train(TabularModel model, ModelWeights global, TabularData rows, TrainingSettings settings) {
        Architecture architecture = model.architecture();
        if (rows.columns() != architecture.inputs()) {
            throw new IllegalArgumentException("the model takes " + architecture.inputs() + " features, the rows have "
                    + rows.columns());
        }
        if (rows.rows() == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        Loss loss = architecture.task() == Task.CLASSIFICATION
                ? Loss.softmaxCrossEntropyLoss()
                : Loss.l2Loss("mse", 1f);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer(settings))
                .optDevices(new Device[] {Device.cpu()});
        double lastEpochLoss;
        try (GradientRecording recording = GradientRecording.begin();
                Trainer trainer = model.djlModel().newTrainer(config)) {
            trainer.initialize(new Shape(settings.batchSize(), architecture.inputs()));
            // Initialising draws random weights; every round starts from the federation's model instead.
            model.load(global);
            List<NDArray> parameters = parameterArrays(model);
            List<NDArray> anchor = settings.fedproxMu() > 0 ? constants(trainer.getManager(), global) : List.of();
            SplittableRandom random = new SplittableRandom(settings.seed());
            lastEpochLoss = Double.NaN;
            for (int epoch = 0; epoch < settings.localEpochs(); epoch++) {
                lastEpochLoss = epoch(trainer, loss, rows, settings, random, parameters, anchor);
            }
        }
        ModelWeights trained = model.weights();
        double norm = trained.distanceTo(global);
        if (settings.clipNorm().isPresent()) {
            UpdateClip clip = UpdateClip.toNorm(global, trained, settings.clipNorm().getAsDouble());
            model.load(clip.weights());
            return new LocalUpdate(clip.weights(), rows.rows(), lastEpochLoss, norm, clip.clipped());
        }
        return new LocalUpdate(trained, rows.rows(), lastEpochLoss, norm, false);
    }

    private static Optimizer optimizer(TrainingSettings settings) {
        Tracker rate = Tracker.fixed(settings.learningRate());
        return switch (settings.optimizer()) {
            case SGD -> Optimizer.sgd().setLearningRateTracker(rate).build();
            case ADAM -> Optimizer.adam().optLearningRateTracker(rate).build();
        };
    }

    /** One pass over the rows in a seeded random order; returns the mean batch loss. */
    private static double epoch(Trainer trainer, Loss loss, TabularData rows, TrainingSettings settings,
            SplittableRandom random, List<NDArray> parameters, List<NDArray> anchor) {
        int[] order = permutation(rows.rows(), random);
        int columns = rows.columns();
        float[] features = rows.features();
        float[] labels = rows.labels();
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < order.length; start += settings.batchSize()) {
            int size = Math.min(settings.batchSize(), order.length - start);
            float[] batchFeatures = new float[size * columns];
            float[] batchLabels = new float[size];
            for (int i = 0; i < size; i++) {
                int row = order[start + i];
                System.arraycopy(features, row * columns, batchFeatures, i * columns, columns);
                batchLabels[i] = labels[row];
            }
            try (NDManager batch = trainer.getManager().newSubManager();
                    GradientCollector collector = trainer.newGradientCollector()) {
                NDArray x = batch.create(batchFeatures, new Shape(size, columns));
                NDArray y = batch.create(batchLabels);
                NDArray value = loss.evaluate(new NDList(y), trainer.forward(new NDList(x)));
                lossSum += value.getFloat();
                batches++;
                if (!anchor.isEmpty()) {
                    value = value.add(proximalTerm(batch, parameters, anchor).mul(settings.fedproxMu() / 2));
                }
                collector.backward(value);
            }
            trainer.step();
        }
        return lossSum / batches;
    }

    /** ‖w − w_global‖² over all parameters; the global weights are constants, so only w receives gradient. */
    private static NDArray proximalTerm(NDManager batch, List<NDArray> parameters, List<NDArray> anchor) {
        NDArray sum = null;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray difference = parameters.get(i).sub(anchor.get(i));
            // Results land on the parameter's manager unless moved: keep them with the batch so they are freed.
            difference.attach(batch);
            NDArray squared = difference.square().sum();
            sum = sum == null ? squared : sum.add(squared);
        }
        return sum;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static List<NDArray> parameterArrays(TabularModel model) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> parameter : model.djlModel().getBlock().getParameters()) {
            arrays.add(parameter.getValue().getArray());
        }
        return arrays;
    }

    private static List<NDArray> constants(NDManager manager, ModelWeights weights) {
        List<NDArray> arrays = new ArrayList<>();
        for (int t = 0; t < weights.values().size(); t++) {
            long[] shape = weights.manifest().tensors().get(t).shape().stream().mapToLong(Long::longValue).toArray();
            arrays.add(manager.create(weights.values().get(t), new Shape(shape)));
        }
        return arrays;
    }
}
