package io.meshfl.training;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.training.model.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Weights for tests, drawn from a seeded Gaussian so a "global model" is the same in every run. */
public final class TestWeights {

    private TestWeights() {
    }

    public static ModelWeights gaussian(Architecture architecture, long seed, double scale) {
        Random random = new Random(seed);
        List<float[]> tensors = new ArrayList<>();
        for (TensorSpec spec : architecture.parameters()) {
            float[] values = new float[Math.toIntExact(spec.elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (scale * random.nextGaussian());
            }
            tensors.add(values);
        }
        return new ModelWeights(architecture.manifest(), tensors);
    }
}
