package io.meshfl.training.train;

import io.meshfl.core.safetensors.ModelWeights;

/**
 * What local training produced.
 *
 * @param weights the trained weights (clipped if the settings ask for it)
 * @param examples training rows seen per epoch
 * @param trainingLoss mean loss over the last epoch's batches (without the proximal term)
 * @param updateNorm ‖trained − global‖ before any clipping
 * @param clipped whether the update was scaled down to the clip norm
 */
public record LocalUpdate(ModelWeights weights, int examples, double trainingLoss, double updateNorm,
        boolean clipped) {
}
