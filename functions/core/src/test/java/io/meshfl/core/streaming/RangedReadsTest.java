package io.meshfl.core.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ForwardingObjectStore;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.InMemoryAggregation;
import io.meshfl.core.strategy.ServerState;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranged GETs against the real S3 server, and the same bytes from a server that ignores the Range header. */
class RangedReadsTest {

    @Test
    void aRangedGetReturnsExactlyTheRange() throws Exception {
        byte[] content = new byte[10_000];
        new SplittableRandom(3).nextBytes(content);
        ObjectStore store = ReaderEquivalenceProperties.store();
        store.put("ranges/object", content, Map.of());

        try (InputStream in = store.openRange("ranges/object", 1234, 5678)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 1234, 5678));
        }
        try (InputStream in = store.openRange("ranges/object", 9_999, 10_000)) {
            assertThat(in.readAllBytes()).containsExactly(content[9_999]);
        }
    }

    @Test
    void aServerThatIgnoresRangesStillStreamsTheSameModelAndHash(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        List<TensorSpec> layout = ReaderEquivalenceProperties.randomLayout(random);
        Path file = ReaderEquivalenceProperties.write(dir.resolve("u.safetensors"), layout, random);
        ObjectStore ranged = ReaderEquivalenceProperties.store();
        ranged.put("ranges/update", file, Map.of());
        ObjectStore wholeObjectsOnly = new WholeObjectsOnly(ranged);
        ModelManifest manifest = new ModelManifest(layout);
        float[] global = new float[(int) manifest.parameterCount()];

        float[] expected;
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            expected = InMemoryAggregation.aggregate(new FedAvg(), global,
                    List.of(new ClientUpdate("d", 1, new FlatModelReader(reader, manifest))), ServerState.empty()).model();
            try (StreamedModel stream = StreamedModel.start(wholeObjectsOnly,
                    StoredHeader.read(wholeObjectsOnly, "ranges/update"), 2)) {
                float[] streamed = InMemoryAggregation.aggregate(new FedAvg(), global,
                        List.of(new ClientUpdate("d", 1, stream.weights(manifest))), ServerState.empty()).model();

                assertThat(streamed).containsExactly(expected);
                assertThat(stream.finish()).isEqualTo(reader.dataSha256());
            }
        }
        assertThat(Files.size(file)).isGreaterThan(0);
    }

    /** A store whose server ignores Range headers: every ranged read is the interface's whole-object default. */
    private static final class WholeObjectsOnly extends ForwardingObjectStore {

        WholeObjectsOnly(ObjectStore store) {
            super(store);
        }

        @Override
        public InputStream openRange(String key, long from, long to) {
            return openRangeByDefault(key, from, to);
        }
    }
}
