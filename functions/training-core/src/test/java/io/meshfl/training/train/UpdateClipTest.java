package io.meshfl.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateClipTest {

    private static ModelWeights weights(float w0, float w1, float bias) {
        return new ModelWeights(new ModelManifest(List.of(TensorSpec.of("layers.0.weight", Dtype.F32, 1, 2),
                TensorSpec.of("layers.0.bias", Dtype.F32, 1))), List.of(new float[] {w0, w1}, new float[] {bias}));
    }

    @Test
    void scalesALongUpdateDownToTheClipNorm() {
        // Prepare: update (3, 0, 4) from global (1, 1, 1) has norm 5.
        ModelWeights global = weights(1, 1, 1);
        ModelWeights local = weights(4, 1, 5);

        // Execute: clip to 2.5, half the length.
        UpdateClip clip = UpdateClip.toNorm(global, local, 2.5);

        // Assert: global + (1.5, 0, 2).
        assertThat(clip.clipped()).isTrue();
        assertThat(clip.normBefore()).isEqualTo(5.0);
        assertThat(clip.weights()).isEqualTo(weights(2.5f, 1, 3));
        assertThat(clip.weights().distanceTo(global)).isEqualTo(2.5);
    }

    @Test
    void leavesAShortUpdateAlone() {
        ModelWeights global = weights(1, 1, 1);
        ModelWeights local = weights(4, 1, 5);

        UpdateClip clip = UpdateClip.toNorm(global, local, 5);

        assertThat(clip.clipped()).isFalse();
        assertThat(clip.weights()).isSameAs(local);
    }
}
