package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** FedAvg over F64 files agrees with a plain double-precision weighted mean, also beyond float's range. */
class F64FedAvgProperties {

    @Property(tries = 25)
    void fedAvgOverF64ModelsEqualsADoublePrecisionReference(@ForAll @IntRange(min = 1, max = 6) int count,
                                                            @ForAll("sizes") int size, @ForAll long seed)
            throws IOException {
        Path dir = Files.createTempDirectory("f64-fedavg");
        try {
            // Prepare: K F64 updates, each at a scale between 1e-300 and 1e300, example counts up to a million
            Random random = new Random(seed);
            List<TensorSpec> tensors = List.of(TensorSpec.of("w", Dtype.F64, size));
            List<double[]> values = new ArrayList<>();
            List<ModelAggregator.UpdateFile> updates = new ArrayList<>();
            long[] examples = new long[count];
            for (int k = 0; k < count; k++) {
                double scale = Math.pow(10, random.nextInt(601) - 300);
                double[] w = new double[size];
                for (int i = 0; i < size; i++) {
                    w[i] = random.nextGaussian() * scale;
                }
                values.add(w);
                examples[k] = 1 + random.nextInt(1_000_000);
                updates.add(new ModelAggregator.UpdateFile("u" + k, write(dir.resolve(k + ".safetensors"), tensors, w),
                        examples[k]));
            }
            Path global = write(dir.resolve("global.safetensors"), tensors, new double[size]);

            // Execute
            Path next = dir.resolve("next.safetensors");
            ModelAggregator.aggregate(new FedAvg(), global, updates, ServerState.empty(), next, Map.of());

            // Assert: within a few ulps of Σ w_k·|x_k| (the reference's own rounding error bound)
            double total = 0;
            for (long n : examples) {
                total += n;
            }
            double[] actual = new double[size];
            try (SafetensorsReader out = SafetensorsReader.open(next)) {
                out.readDoubles("w", 0, actual, 0, size);
            }
            for (int i = 0; i < size; i++) {
                double reference = 0;
                double magnitude = 0;
                for (int k = 0; k < count; k++) {
                    reference += examples[k] / total * values.get(k)[i];
                    magnitude += examples[k] / total * Math.abs(values.get(k)[i]);
                }
                assertThat(Math.abs(actual[i] - reference)).as("element %d", i)
                        .isLessThanOrEqualTo(count * Math.ulp(magnitude));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        // within one block, and across FedAvg's streaming blocks (several lanes)
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 40),
                Arbitraries.of(Blocks.STREAMING + 3));
    }

    private static Path write(Path file, List<TensorSpec> tensors, double[] w) throws IOException {
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, tensors, Map.of())) {
            writer.writeDoubles("w", 0, w, 0, w.length);
            writer.finish();
        }
        return file;
    }
}
