package io.meshfl.training.weights;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.training.TestEngine;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalModelTest {

    private static final Architecture MLP = Architecture.mlp(20, List.of(64, 32), 2);

    @BeforeAll
    static void startEngine() {
        TestEngine.start();
    }

    @Test
    void weightsSetFromASafetensorsFileAndExportedAgainAreBitIdentical(@TempDir Path dir) throws Exception {
        // Prepare: a global model written by core's writer, every value an arbitrary bit pattern (NaN payloads too).
        Random random = new Random(17);
        List<float[]> values = new ArrayList<>();
        for (TensorSpec spec : MLP.parameters()) {
            float[] tensor = new float[Math.toIntExact(spec.elementCount())];
            for (int i = 0; i < tensor.length; i++) {
                tensor[i] = Float.intBitsToFloat(random.nextInt());
            }
            values.add(tensor);
        }
        Path original = dir.resolve("global.safetensors");
        new ModelWeights(MLP.manifest(), values).write(original, Map.of());

        // Execute: into the DJL model and out again, written the same way.
        GlobalModel global = GlobalModel.read(original);
        Path exported = dir.resolve("exported.safetensors");
        try (TabularModel model = TabularModel.of(MLP, global.weights())) {
            global.layout(model.weights()).write(exported, Map.of());
        }

        // Assert
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void aGlobalModelWhoseDataDiffersFromTheRecordedChecksumIsRefused(@TempDir Path dir) throws Exception {
        // Prepare: a global model, its checksum as the registry records it, then the object tampered with
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("layers.0.weight", Dtype.F32, 2)));
        Path file = dir.resolve("global.safetensors");
        new ModelWeights(manifest, List.of(new float[] {1, 2})).write(file, Map.of());
        String recorded = GlobalModel.read(file).sha256();
        new ModelWeights(manifest, List.of(new float[] {-1, -2})).write(file, Map.of());

        // Execute, Assert
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GlobalModel.read(file, recorded))
                .isInstanceOf(AlteredGlobalModelException.class)
                .hasMessageContaining("but the registry recorded " + recorded);
        assertThat(GlobalModel.read(file, GlobalModel.read(file).sha256()).weights().values()).hasSize(1);
    }
}
