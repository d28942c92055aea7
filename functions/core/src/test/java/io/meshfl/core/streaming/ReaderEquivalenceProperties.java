package io.meshfl.core.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsReader.Access;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.InMemoryAggregation;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every strategy gives bit-identical results whichever reader feeds it: memory maps, positional reads, or (for the
 * strategies that read each update once) a stream from a real S3 server. Random models mix F32, F16, BF16 and F64
 * tensors of odd sizes, most of them not a multiple of any block, so blocks straddle tensors and ring chunks.
 */
class ReaderEquivalenceProperties {

    private static final Dtype[] DTYPES = {Dtype.F32, Dtype.F16, Dtype.BF16, Dtype.F64};
    private static final List<String> STRATEGIES = List.of("fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad",
            "median", "trimmed-mean", "krum", "multi-krum");
    private static ObjectStore store;

    @Property(tries = 8)
    void everyReaderGivesTheSameBitsToEveryStrategy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int count)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = Files.createTempDirectory("meshfl-readers");
        List<TensorSpec> layout = randomLayout(random);
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            files.add(write(dir.resolve("u" + k + ".safetensors"), layout, random));
        }
        ModelManifest manifest = new ModelManifest(layout);
        float[] global = new float[(int) manifest.parameterCount()];
        for (int i = 0; i < global.length; i++) {
            global[i] = (float) random.nextGaussian();
        }
        for (String name : STRATEGIES) {
            Strategy strategy = strategy(name, count);
            float[] mapped = fromFiles(strategy, global, files, manifest, Access.MAPPED);
            assertThat(fromFiles(strategy, global, files, manifest, Access.POSITIONAL))
                    .as(name + ": positional vs mapped").containsExactly(mapped);
            if (strategy.readsUpdatesOnce()) {
                assertThat(streamed(strategy, global, files, manifest, "s" + seed + "-" + name))
                        .as(name + ": streamed vs mapped").containsExactly(mapped);
            }
        }
    }

    private static Strategy strategy(String name, int count) {
        if (name.contains("krum")) {
            return StrategyFactory.create(name, Map.of("byzantine", count > 4 ? 1 : 0));
        }
        return StrategyFactory.create(name, Map.of());
    }

    private static float[] fromFiles(Strategy strategy, float[] global, List<Path> files, ModelManifest manifest,
            Access access) throws IOException {
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            List<ClientUpdate> updates = new ArrayList<>();
            for (int k = 0; k < files.size(); k++) {
                SafetensorsReader reader = SafetensorsReader.open(files.get(k), access);
                readers.add(reader);
                updates.add(new ClientUpdate("d" + k, 10L + k * 7L, new FlatModelReader(reader, manifest)));
            }
            if (strategy.name().contains("krum") && files.size() <= 2) {
                return new float[0];
            }
            return InMemoryAggregation.aggregate(strategy, global, updates, ServerState.empty()).model();
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    private static float[] streamed(Strategy strategy, float[] global, List<Path> files, ModelManifest manifest,
            String prefix) throws IOException {
        List<StreamedModel> streams = new ArrayList<>();
        try {
            List<ClientUpdate> updates = new ArrayList<>();
            for (int k = 0; k < files.size(); k++) {
                String key = "equivalence/" + prefix + "/u" + k;
                store().put(key, files.get(k), Map.of());
                StreamedModel stream = StreamedModel.start(store(), StoredHeader.read(store(), key), 2);
                streams.add(stream);
                updates.add(new ClientUpdate("d" + k, 10L + k * 7L, stream.weights(manifest)));
            }
            float[] result = InMemoryAggregation.aggregate(strategy, global, updates, ServerState.empty()).model();
            for (int k = 0; k < files.size(); k++) {
                try (SafetensorsReader reader = SafetensorsReader.open(files.get(k))) {
                    assertThat(streams.get(k).finish()).as("SHA-256 computed while streaming")
                            .isEqualTo(reader.dataSha256());
                }
            }
            return result;
        } finally {
            streams.forEach(StreamedModel::close);
        }
    }

    /** One to four tensors of mixed dtypes; sizes from 1 to ~70k values, rarely a multiple of a block. */
    static List<TensorSpec> randomLayout(SplittableRandom random) {
        List<TensorSpec> layout = new ArrayList<>();
        int tensors = 1 + random.nextInt(4);
        for (int t = 0; t < tensors; t++) {
            long size = random.nextBoolean() ? 1 + random.nextInt(40) : 1 + random.nextInt(70_000);
            layout.add(TensorSpec.of("t" + t, DTYPES[random.nextInt(DTYPES.length)], size));
        }
        return layout;
    }

    static Path write(Path file, List<TensorSpec> layout, SplittableRandom random) throws IOException {
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, Map.of())) {
            for (TensorSpec tensor : layout) {
                float[] values = new float[(int) tensor.elementCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 3);
                }
                writer.writeFloats(tensor.name(), values);
            }
            writer.finish();
        }
        return file;
    }

    static synchronized ObjectStore store() {
        if (store == null) {
            S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
            s3.ensureBucket("core-streaming");
            store = S3ObjectStore.connect(new S3Settings("core-streaming", s3.region(), Optional.of(s3.uri()), true,
                    Optional.of(s3.accessKey()), Optional.of(s3.secretKey())));
        }
        return store;
    }
}
