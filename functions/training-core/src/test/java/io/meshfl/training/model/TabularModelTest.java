package io.meshfl.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.training.TestEngine;
import io.meshfl.training.TestWeights;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TabularModelTest {

    private static final Architecture MLP = Architecture.mlp(3, List.of(4), 2);

    @BeforeAll
    @BeforeContainer
    static void startEngine() {
        TestEngine.start();
    }

    /** Any 32-bit pattern, NaN payloads and negative zero included, comes back with the same bits. */
    @Property(tries = 50)
    void weightsGoInAndOutBitForBit(@ForAll int[] seeds) {
        List<float[]> tensors = new ArrayList<>();
        int k = 0;
        for (TensorSpec spec : MLP.parameters()) {
            float[] values = new float[Math.toIntExact(spec.elementCount())];
            for (int i = 0; i < values.length; i++) {
                int bits = seeds.length == 0 ? i * 0x9E3779B9 : seeds[k++ % seeds.length] ^ (i * 0x9E3779B9);
                values[i] = Float.intBitsToFloat(bits);
            }
            tensors.add(values);
        }
        ModelWeights weights = new ModelWeights(MLP.manifest(), tensors);

        try (TabularModel model = TabularModel.of(MLP, weights)) {
            ModelWeights exported = model.weights();

            assertThat(exported.manifest()).isEqualTo(weights.manifest());
            for (int t = 0; t < tensors.size(); t++) {
                assertThat(rawBits(exported.values().get(t)))
                        .as(MLP.parameters().get(t).name())
                        .containsExactly(rawBits(tensors.get(t)));
            }
        }
    }

    @Test
    void predictsWhatTheLoadedWeightsCompute() {
        // Prepare: logistic regression with weight rows (1, 2) and (0, -1), biases 0.5 and 0.
        Architecture architecture = Architecture.logisticRegression(2, 2);
        ModelWeights weights = new ModelWeights(new ModelManifest(List.of(
                TensorSpec.of("layers.0.weight", Dtype.F32, 2, 2), TensorSpec.of("layers.0.bias", Dtype.F32, 2))),
                List.of(new float[] {1, 2, 0, -1}, new float[] {0.5f, 0}));

        try (TabularModel model = TabularModel.of(architecture, weights)) {
            // Execute: rows (1, 1) and (2, -3).
            float[] logits = model.predict(new float[] {1, 1, 2, -3}, 2);

            // Assert: (1 + 2 + 0.5, -1) and (2 - 6 + 0.5, 3).
            assertThat(logits).containsExactly(3.5f, -1f, -3.5f, 3f);
        }
    }

    @Test
    void refusesWeightsOfAnotherArchitectureNamingTheTensor() {
        ModelWeights wider = TestWeights.gaussian(Architecture.mlp(3, List.of(5), 2), 1, 0.1);

        try (TabularModel model = TabularModel.create(MLP)) {
            assertThatThrownBy(() -> model.load(wider))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layers.0.weight[4, 3]")
                    .hasMessageContaining("layers.0.weight[5, 3]");
        }
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
