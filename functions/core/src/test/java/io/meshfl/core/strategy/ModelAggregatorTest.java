package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-to-file path the aggregation function takes: global + updates + state in, global + state out. */
class ModelAggregatorTest {

    static final ModelManifest MANIFEST = new ModelManifest(List.of(TensorSpec.of("w", Dtype.F32, 2), TensorSpec.of("b", Dtype.F32, 1)));

    @TempDir
    Path dir;

    Path weights(String name, float[] w, float[] b) throws IOException {
        Path file = dir.resolve(name);
        new ModelWeights(MANIFEST, List.of(w, b)).write(file, Map.of());
        return file;
    }

    @Test
    void aggregatesUpdatesWrittenInAnotherTensorOrderAndCarriesStateThroughAFile() throws IOException {
        // Prepare: the update file lists b before w (as another tool might); global (1, −2 | 0.5)
        Path global = weights("global.safetensors", new float[] {1f, -2f}, new float[] {0.5f});
        Path a = weights("a.safetensors", new float[] {1.5f, -1f}, new float[] {0.5f});
        Path b = dir.resolve("b.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(b,
                List.of(TensorSpec.of("b", Dtype.F32, 1), TensorSpec.of("w", Dtype.F32, 2)), Map.of())) {
            writer.writeFloats("b", new float[] {1.5f});
            writer.writeFloats("w", new float[] {0.5f, -3f});
            writer.finish();
        }
        List<ModelAggregator.UpdateFile> updates = List.of(new ModelAggregator.UpdateFile("a", a, 1),
                new ModelAggregator.UpdateFile("b", b, 3));
        Strategy adam = StrategyFactory.create("fedadam", Map.of("serverLearningRate", 0.1, "tau", 1e-3));

        // Execute: round 1, persist the state, round 2 from the persisted state
        Path next = dir.resolve("global-2.safetensors");
        ModelAggregator.Result first = ModelAggregator.aggregate(adam, global, updates, ServerState.empty(), next,
                Map.of("round", "2"));
        Path stateFile = dir.resolve("state-2.safetensors");
        ServerStateFile.write(stateFile, first.outcome().state());
        ModelAggregator.aggregate(adam, next, updates, ServerStateFile.read(stateFile), dir.resolve("global-3.safetensors"), Map.of());

        // Assert: same numbers as the in-memory golden test (the same 3-parameter example)
        try (SafetensorsReader reader = SafetensorsReader.open(next)) {
            assertThat(reader.manifest()).isEqualTo(MANIFEST);
            assertThat(reader.metadata()).containsEntry("round", "2");
            assertThat(reader.dataSha256()).isEqualTo(first.sha256());
            assertThat(reader.readFloats("w")).containsExactly(0.90391929f, -2.09802019f);
        }
        ModelWeights third = ModelWeights.read(dir.resolve("global-3.safetensors"));
        assertThat(third.tensor("w")[0]).isCloseTo(0.77873303f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(third.tensor("b")[0]).isCloseTo(0.73123469f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(ServerStateFile.read(stateFile).values()).containsEntry("strategy", "fedadam");
    }

    @Test
    void aFailedAggregationLeavesNoOutputFile() throws IOException {
        Path global = weights("global.safetensors", new float[] {0f, 0f}, new float[] {0f});
        List<ModelAggregator.UpdateFile> updates = List.of(
                new ModelAggregator.UpdateFile("a", weights("a.safetensors", new float[] {1f, 1f}, new float[] {1f}), 1));
        Path output = dir.resolve("out.safetensors");

        assertThatThrownBy(() -> ModelAggregator.aggregate(Krum.krum(0), global, updates, ServerState.empty(), output, Map.of()))
                .hasMessageContaining("needs more than 2 updates");
        assertThat(output).doesNotExist();
    }
}
