package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregation keeps each tensor's dtype: F64 at double precision, I64 counters by the {@link IntegerTensors} rule. */
class DtypeFidelityTest {

    static final ModelManifest MIXED = new ModelManifest(List.of(TensorSpec.of("w64", Dtype.F64, 6),
            TensorSpec.of("num_batches_tracked", Dtype.I64), TensorSpec.of("w16", Dtype.BF16, 2),
            TensorSpec.of("w32", Dtype.F32, 3)));

    @TempDir
    Path dir;

    Path model(String name, double[] w64, long batches, float[] w16, float[] w32) throws IOException {
        Path file = dir.resolve(name);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, MIXED.tensors(), Map.of())) {
            writer.writeDoubles("w64", 0, w64, 0, w64.length);
            writer.writeLongs("num_batches_tracked", new long[] {batches});
            writer.writeFloats("w16", w16);
            writer.writeFloats("w32", w32);
            writer.finish();
        }
        return file;
    }

    @Test
    void oneInputFedAvgReturnsAnF64ModelBitForBit() throws IOException {
        // Prepare: values float cannot hold (1e300, the smallest subnormal double, 0.1's double digits) and −0.0
        double[] w64 = {1e300, -1e-300, Double.MIN_VALUE, 0.1, -0.0, Math.PI};
        Path global = model("global.safetensors", new double[6], 7, new float[] {0f, 0f}, new float[3]);
        Path update = model("update.safetensors", w64, 12, new float[] {1.5f, -0.25f}, new float[] {0.1f, 2f, -3f});

        // Execute
        Path next = dir.resolve("next.safetensors");
        ModelAggregator.Result result = ModelAggregator.aggregate(new FedAvg(), global,
                List.of(new ModelAggregator.UpdateFile("a", update, 5)), ServerState.empty(), next, Map.of());

        // Assert: the same data section, byte for byte, and the doubles' raw bits
        try (SafetensorsReader in = SafetensorsReader.open(update); SafetensorsReader out = SafetensorsReader.open(next)) {
            assertThat(out.manifest()).isEqualTo(MIXED);
            assertThat(result.sha256()).isEqualTo(in.dataSha256());
            double[] read = new double[6];
            out.readDoubles("w64", 0, read, 0, 6);
            for (int i = 0; i < 6; i++) {
                assertThat(Double.doubleToRawLongBits(read[i])).as("element %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(w64[i]));
            }
        }
    }

    @Test
    void anI64CounterAggregatesWithEveryStrategyAndTakesTheUpdatesMaximum() throws IOException {
        // Prepare: five updates (Krum needs more than 2f + 2) whose counters are the global's 100 plus local batches
        Path global = model("global.safetensors", new double[6], 100, new float[2], new float[3]);
        long[] batches = {130, 180, 120, 175, 150};
        List<ModelAggregator.UpdateFile> updates = new ArrayList<>();
        for (int k = 0; k < batches.length; k++) {
            double[] w64 = {k, -k, 0.5 * k, 1, 2, 3};
            updates.add(new ModelAggregator.UpdateFile("u" + k, model("u" + k + ".safetensors", w64, batches[k],
                    new float[] {k, 1f}, new float[] {k, k, k}), 10 + k));
        }

        for (String name : StrategyFactory.names()) {
            // Execute
            Path next = dir.resolve(name + ".safetensors");
            Map<String, Double> parameters = name.equals(StrategyFactory.DP_FEDAVG)
                    ? Map.of("clipNorm", 100.0, "noiseMultiplier", 0.0) : Map.of();
            ModelAggregator.aggregate(StrategyFactory.create(name, parameters), global, updates, ServerState.empty(),
                    next, Map.of());

            // Assert: the counter is the largest update's, whatever the strategy did to the weights
            try (SafetensorsReader out = SafetensorsReader.open(next)) {
                assertThat(out.manifest()).as(name).isEqualTo(MIXED);
                assertThat(out.readLongs("num_batches_tracked")).as(name).containsExactly(180L);
            }
        }
    }

    @Test
    void fedAvgOfTwoF64UpdatesKeepsDoublePrecisionAndTheNarrowTensorsTheirDtype() throws IOException {
        // Prepare: weights 1 : 3; 1 + 2^-40 is not a float, 2^996 is far beyond float's range
        double fine = 1 + 0x1p-40;
        Path global = model("global.safetensors", new double[6], 0, new float[2], new float[3]);
        Path a = model("a.safetensors", new double[] {fine, 4, 0x1p996, 0, 0, 0}, 3, new float[] {1f, 2f},
                new float[] {4f, 0f, 0f});
        Path b = model("b.safetensors", new double[] {fine, 0, 0x1p996, 0, 0, 0}, 9, new float[] {5f, 2f},
                new float[] {0f, 0f, 0f});

        // Execute
        Path next = dir.resolve("next.safetensors");
        ModelAggregator.aggregate(new FedAvg(), global, List.of(new ModelAggregator.UpdateFile("a", a, 1),
                new ModelAggregator.UpdateFile("b", b, 3)), ServerState.empty(), next, Map.of());

        // Assert: by pencil, 0.25·a + 0.75·b
        try (SafetensorsReader out = SafetensorsReader.open(next)) {
            double[] w64 = new double[6];
            out.readDoubles("w64", 0, w64, 0, 6);
            assertThat(w64).containsExactly(fine, 1, 0x1p996, 0, 0, 0);
            assertThat(out.tensor("w16").dtype()).isEqualTo(Dtype.BF16);
            assertThat(out.readFloats("w16")).containsExactly(4f, 2f);
            assertThat(out.readFloats("w32")).containsExactly(1f, 0f, 0f);
            assertThat(out.readLongs("num_batches_tracked")).containsExactly(9L);
        }
        assertThat(Files.size(next)).isEqualTo(Files.size(a));
    }
}
