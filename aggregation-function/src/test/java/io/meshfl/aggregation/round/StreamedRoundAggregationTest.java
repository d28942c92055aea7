package io.meshfl.aggregation.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.UpdateView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round aggregation straight from the real S3 server: the same global model as the file path, no update ever in
 * scratch, and a replaced update fails the round before anything is published.
 */
class StreamedRoundAggregationTest {

    /** Not a multiple of any block: the last block of every tensor is short. */
    private static final List<TensorSpec> LAYOUT = List.of(TensorSpec.of("w1", Dtype.F32, 40_003),
            TensorSpec.of("b1", Dtype.F32, 17), TensorSpec.of("w2", Dtype.F32, 30_001));
    /** The same tensors with their data in the opposite order, as another tool may write them. */
    private static final List<TensorSpec> REVERSED = List.of(LAYOUT.get(2), LAYOUT.get(1), LAYOUT.get(0));

    private static S3ObjectStore store;
    private static ExecutorService downloads;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        store = RoundFixture.store("aggregation-streaming");
        downloads = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void close() {
        downloads.shutdownNow();
        store.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedavg", "median", "trimmed-mean", "krum"})
    void publishesTheFilePathsModelAndStreamsEveryUpdateOfASinglePassStrategy(String strategy) throws Exception {
        String model = "stream-" + strategy;
        Path global = RoundFixture.write(dir.resolve("global.safetensors"), LAYOUT, 1);
        store.put(ObjectKeys.globalModel(model, 1), global, Map.of());
        List<UpdateView> updates = new ArrayList<>();
        List<ModelAggregator.UpdateFile> files = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            // One update written by another tool with F16 values: decoded the same way from a stream.
            List<TensorSpec> layout = k == 2 ? LAYOUT.stream().map(t -> TensorSpec.of(t.name(), Dtype.F16,
                    t.elementCount())).toList() : LAYOUT;
            Path file = RoundFixture.write(dir.resolve("u" + k + ".safetensors"), layout, 10 + k);
            updates.add(RoundFixture.upload(store, model, 1, "d" + k, file, 100 + k));
            files.add(new ModelAggregator.UpdateFile("d" + k, file, 100 + k));
        }
        String expected = ModelAggregator.aggregate(StrategyFactory.create(strategy, Map.of()), global, files,
                ServerState.empty(), dir.resolve("expected.safetensors"), Map.of()).sha256();

        try (LocalCopies copies = LocalCopies.under(dir.resolve("scratch"), store, downloads)) {
            Completion completion = new RoundAggregation(store).aggregate(
                    RoundFixture.round(model, 1, ObjectKeys.globalModel(model, 1), strategy), updates, copies,
                    new PhaseTimes());

            assertThat(completion.checksum()).as("bit for bit the file path's result").isEqualTo(expected);
            assertThat(store.head(ObjectKeys.globalModel(model, 2))).isPresent();
            long updateBytes = 0;
            for (ModelAggregator.UpdateFile file : files) {
                updateBytes += Files.size(file.file());
            }
            // Krum reads every update twice: it downloads them (and the global model); the others download nothing.
            assertThat(copies.downloadedBytes()).isEqualTo(strategy.equals("krum")
                    ? updateBytes + Files.size(global) : 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedavg", "krum"})
    void anUpdateReplacedAfterItWasAcceptedFailsTheRoundAndNothingIsPublished(String strategy) throws Exception {
        String model = "replaced-" + strategy;
        Path global = RoundFixture.write(dir.resolve("global.safetensors"), LAYOUT, 1);
        store.put(ObjectKeys.globalModel(model, 1), global, Map.of());
        List<UpdateView> updates = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            updates.add(RoundFixture.upload(store, model, 1, "d" + k, RoundFixture.write(
                    dir.resolve("u" + k + ".safetensors"), LAYOUT, 20 + k), 10));
        }
        // d3 overwrites its update after the registry accepted it: same layout, other values.
        store.put(updates.get(3).objectKey(), RoundFixture.write(dir.resolve("other.safetensors"), LAYOUT, 99), Map.of());

        try (LocalCopies copies = LocalCopies.under(dir.resolve("scratch"), store, downloads)) {
            assertThatThrownBy(() -> new RoundAggregation(store).aggregate(
                    RoundFixture.round(model, 1, ObjectKeys.globalModel(model, 1), strategy), updates, copies,
                    new PhaseTimes()))
                    .isInstanceOf(RoundCannotBeAggregated.class)
                    .hasMessageContaining("'d3'").hasMessageContaining("changed after it was accepted");
        }
        assertThat(store.head(ObjectKeys.globalModel(model, 2))).isEmpty();
        assertThat(store.list(ObjectKeys.scratchPrefix(model, 2))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void anUpdateInAnotherDataOrderIsDownloadedAndCheckedInsteadOfStreamed(int replaced) throws Exception {
        String model = "reordered-" + replaced;
        Path global = RoundFixture.write(dir.resolve("global.safetensors"), LAYOUT, 1);
        store.put(ObjectKeys.globalModel(model, 1), global, Map.of());
        Path straight = RoundFixture.write(dir.resolve("u0.safetensors"), LAYOUT, 30);
        Path reversed = RoundFixture.write(dir.resolve("u1.safetensors"), REVERSED, 31);
        List<UpdateView> updates = List.of(RoundFixture.upload(store, model, 1, "d0", straight, 5),
                RoundFixture.upload(store, model, 1, "d1", reversed, 7));
        if (replaced == 1) {
            store.put(updates.get(1).objectKey(), RoundFixture.write(dir.resolve("x.safetensors"), REVERSED,
                    32), Map.of());
        }
        String expected = ModelAggregator.aggregate(StrategyFactory.create("fedavg", Map.of()), global,
                List.of(new ModelAggregator.UpdateFile("d0", straight, 5),
                        new ModelAggregator.UpdateFile("d1", reversed, 7)),
                ServerState.empty(), dir.resolve("expected.safetensors"), Map.of()).sha256();

        try (LocalCopies copies = LocalCopies.under(dir.resolve("scratch"), store, downloads)) {
            RoundAggregation aggregation = new RoundAggregation(store);
            var round = RoundFixture.round(model, 1, ObjectKeys.globalModel(model, 1), "fedavg");
            if (replaced == 1) {
                assertThatThrownBy(() -> aggregation.aggregate(round, updates, copies, new PhaseTimes()))
                        .isInstanceOf(RoundCannotBeAggregated.class).hasMessageContaining("'d1'");
                assertThat(store.head(ObjectKeys.globalModel(model, 2))).isEmpty();
                return;
            }
            assertThat(aggregation.aggregate(round, updates, copies, new PhaseTimes()).checksum()).isEqualTo(expected);
            assertThat(copies.downloadedBytes()).isEqualTo(Files.size(reversed));
        }
    }
}
