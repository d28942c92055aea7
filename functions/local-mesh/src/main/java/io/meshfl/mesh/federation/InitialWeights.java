package io.meshfl.mesh.federation;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The global model of round 1, which the governance uploads before opening the first round: the MLP's tensors
 * named as PyTorch names {@code nn.Sequential} linear layers ({@code layers.0.weight} of shape [out, in],
 * {@code layers.0.bias}, …), weights drawn from Glorot's uniform distribution U(−a, a) with a = √(6 / (in + out))
 * with the seed, biases zero.
 */
public final class InitialWeights {

    private InitialWeights() {
    }

    public static ModelWeights glorotUniform(ModelPlan plan, long seed) {
        Random random = new Random(seed);
        List<TensorSpec> tensors = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        int in = plan.inputs();
        List<Integer> widths = new ArrayList<>(plan.hidden());
        widths.add(plan.classes());
        for (int layer = 0; layer < widths.size(); layer++) {
            int out = widths.get(layer);
            double limit = Math.sqrt(6.0 / (in + out));
            float[] weight = new float[out * in];
            for (int i = 0; i < weight.length; i++) {
                weight[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            tensors.add(TensorSpec.of("layers." + layer + ".weight", Dtype.F32, out, in));
            values.add(weight);
            tensors.add(TensorSpec.of("layers." + layer + ".bias", Dtype.F32, out));
            values.add(new float[out]);
            in = out;
        }
        return new ModelWeights(new ModelManifest(tensors), values);
    }
}
