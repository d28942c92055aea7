package io.meshfl.aggregation.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global model is published with a conditional put against the real S3 server: a writer whose lease ran out
 * while it aggregated (and so may hold another set of accepted updates than the one that took over) can never
 * replace the published model; a writer with the same updates reports the published model as its own.
 */
class ConditionalPublicationTest {

    private static final List<TensorSpec> LAYOUT = List.of(TensorSpec.of("w", Dtype.F32, 1_001),
            TensorSpec.of("b", Dtype.F32, 7));

    private static S3ObjectStore store;
    private static ExecutorService downloads;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        store = RoundFixture.store("aggregation-publication");
        downloads = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void close() {
        downloads.shutdownNow();
        store.close();
    }

    @Test
    void aStaleWriterWithOtherUpdatesNeverReplacesThePublishedModel() throws Exception {
        String model = "stale-writer";
        RoundView round = RoundFixture.round(model, 1, ObjectKeys.globalModel(model, 1), "fedavg");
        store.put(ObjectKeys.globalModel(model, 1), RoundFixture.write(dir.resolve("g.safetensors"), LAYOUT, 1), Map.of());
        List<UpdateView> all = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            all.add(RoundFixture.upload(store, model, 1, "d" + k,
                    RoundFixture.write(dir.resolve("u" + k + ".safetensors"), LAYOUT, 40 + k), 10 + k));
        }

        // The one that took over publishes from all three updates ...
        Completion published = aggregate(round, all, "taker");
        StoredObject stored = store.head(ObjectKeys.globalModel(model, 2)).orElseThrow();
        // ... then the stale holder, which closed the round when only two were accepted, finishes its work.
        assertThatThrownBy(() -> aggregate(round, all.subList(0, 2), "stale"))
                .hasMessageContaining("published meanwhile by another writer");

        assertThat(store.head(ObjectKeys.globalModel(model, 2))).hasValue(stored);
        assertThat(published.aggregatedFrom()).containsExactly("d0", "d1", "d2");
        // A repeat with the same updates reports the published model and writes nothing.
        assertThat(aggregate(round, all, "repeat")).isEqualTo(published);
        assertThat(store.head(ObjectKeys.globalModel(model, 2))).hasValue(stored);
    }

    private Completion aggregate(RoundView round, List<UpdateView> accepted, String scratch) throws Exception {
        try (LocalCopies copies = LocalCopies.under(dir.resolve(scratch), store, downloads)) {
            return new RoundAggregation(store).aggregate(round, accepted, copies, new PhaseTimes());
        }
    }
}
