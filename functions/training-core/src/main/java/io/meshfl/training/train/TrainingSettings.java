package io.meshfl.training.train;

import java.util.OptionalDouble;

/**
 * How a domain trains locally in one round: the model's training configuration and the federation's policy.
 *
 * @param localEpochs passes over the domain's training rows
 * @param batchSize rows per optimiser step (the last batch of an epoch may be smaller)
 * @param learningRate the optimiser's fixed learning rate
 * @param optimizer sgd (plain, no momentum) or adam
 * @param seed orders the batches: the same seed, weights and rows give the same update, bit for bit
 * @param fedproxMu FedProx's μ: adds (μ/2)·‖w − w_global‖² to the loss when above 0
 * @param clipNorm local differential privacy: the update w − w_global is scaled down to this L2 norm if longer
 */
public record TrainingSettings(int localEpochs, int batchSize, float learningRate, OptimizerKind optimizer, long seed,
        double fedproxMu, OptionalDouble clipNorm) {

    public TrainingSettings {
        if (localEpochs < 1) {
            throw new IllegalArgumentException("localEpochs must be at least 1, was " + localEpochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, was " + learningRate);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is required: sgd or adam");
        }
        if (!(fedproxMu >= 0) || !Double.isFinite(fedproxMu)) {
            throw new IllegalArgumentException("fedproxMu must be 0 or more, was " + fedproxMu);
        }
        if (clipNorm == null) {
            clipNorm = OptionalDouble.empty();
        }
        if (clipNorm.isPresent() && !(clipNorm.getAsDouble() > 0 && Double.isFinite(clipNorm.getAsDouble()))) {
            throw new IllegalArgumentException("clipNorm must be a positive number, was " + clipNorm.getAsDouble());
        }
    }

    /** Plain local training: no proximal term, no clipping. */
    public static TrainingSettings plain(int localEpochs, int batchSize, float learningRate, OptimizerKind optimizer,
            long seed) {
        return new TrainingSettings(localEpochs, batchSize, learningRate, optimizer, seed, 0, OptionalDouble.empty());
    }

    public TrainingSettings withFedproxMu(double mu) {
        return new TrainingSettings(localEpochs, batchSize, learningRate, optimizer, seed, mu, clipNorm);
    }

    public TrainingSettings withClipNorm(double norm) {
        return new TrainingSettings(localEpochs, batchSize, learningRate, optimizer, seed, fedproxMu,
                OptionalDouble.of(norm));
    }
}
