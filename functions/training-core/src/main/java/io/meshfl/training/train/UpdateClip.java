package io.meshfl.training.train;

import io.meshfl.core.safetensors.ModelWeights;

/**
 * Clips a local update to an L2 norm: if ‖local − global‖ > C the update is scaled by C/‖local − global‖, which
 * bounds how much one domain's data can move the model (the sensitivity that differential privacy needs).
 *
 * @param weights the weights to send: {@code local}, or {@code global} plus the scaled update
 * @param normBefore ‖local − global‖ before clipping
 * @param clipped whether the update was scaled down
 */
public record UpdateClip(ModelWeights weights, double normBefore, boolean clipped) {

    public static UpdateClip toNorm(ModelWeights global, ModelWeights local, double maxNorm) {
        double norm = local.distanceTo(global);
        if (norm <= maxNorm) {
            return new UpdateClip(local, norm, false);
        }
        return new UpdateClip(local.towards(global, maxNorm / norm), norm, true);
    }
}
