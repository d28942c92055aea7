package io.meshfl.training;

import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.ModelWeights;
import io.meshfl.training.model.NamedTensor;
import io.meshfl.training.model.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Weights for tests, drawn from a seeded Gaussian so a "global model" is the same in every run. */
public final class TestWeights {

    private TestWeights() {
    }

    public static ModelWeights gaussian(Architecture architecture, long seed, double scale) {
        Random random = new Random(seed);
        List<NamedTensor> tensors = new ArrayList<>();
        for (TensorSpec spec : architecture.parameters()) {
            float[] values = new float[Math.toIntExact(spec.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (scale * random.nextGaussian());
            }
            tensors.add(new NamedTensor(spec.name(), spec.shape(), values));
        }
        return new ModelWeights(tensors);
    }
}
