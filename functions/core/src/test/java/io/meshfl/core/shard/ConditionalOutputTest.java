package io.meshfl.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ForwardingObjectStore;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.shard.ConditionalOutput.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node's invocation reports when it publishes two outputs against the real S3 server. */
class ConditionalOutputTest {

    private static final String RUN = "conditional/" + java.util.UUID.randomUUID() + "/";

    @TempDir
    Path scratch;

    @Test
    void twoInvocationsThatInterleaveTheirWritesBothReportSharedAndEachOutputIsStoredOnce() throws Exception {
        List<String> keys = List.of(RUN + "interleaved/model", RUN + "interleaved/state");
        CountDownLatch bothComputed = new CountDownLatch(2);
        CountDownLatch firstWroteModel = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        // first stores the model, then waits until second (which lost the model) has stored the state.
        ObjectStore first = paced(Map.of(keys.get(0), bothComputed, keys.get(1), secondDone), keys.get(0),
                firstWroteModel);
        ObjectStore second = paced(Map.of(keys.get(0), firstWroteModel), null, null);

        CompletableFuture<ConditionalOutput.Result> a = CompletableFuture.supplyAsync(
                () -> publish(first, keys, "a", bothComputed));
        CompletableFuture<ConditionalOutput.Result> b = CompletableFuture.supplyAsync(() -> {
            try {
                return publish(second, keys, "b", bothComputed);
            } finally {
                secondDone.countDown();
            }
        });

        assertThat(a.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SHARED);
        assertThat(b.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SHARED);
        assertThat(new String(ShardedRounds.store().read(keys.get(0)), StandardCharsets.UTF_8)).isEqualTo("a0");
        assertThat(new String(ShardedRounds.store().read(keys.get(1)), StandardCharsets.UTF_8)).isEqualTo("b1");
    }

    @Test
    void aLaterInvocationStoresOnlyWhatIsMissingAndAFullDuplicateReadsNothing() throws Exception {
        List<String> keys = List.of(RUN + "partial/state", RUN + "partial/model");
        ShardedRounds.store().put(keys.get(0), "earlier0".getBytes(StandardCharsets.UTF_8), Map.of());

        ConditionalOutput.Result redo = publish(ShardedRounds.store(), keys, "redo", new CountDownLatch(0));
        boolean[] computed = {false};
        ConditionalOutput.Result duplicate = ConditionalOutput.publish(ShardedRounds.store(), keys, scratch,
                files -> computed[0] = true);

        assertThat(redo.outcome()).isEqualTo(Outcome.WRITTEN);
        assertThat(new String(ShardedRounds.store().read(keys.get(0)), StandardCharsets.UTF_8)).isEqualTo("earlier0");
        assertThat(new String(ShardedRounds.store().read(keys.get(1)), StandardCharsets.UTF_8)).isEqualTo("redo1");
        assertThat(duplicate.outcome()).isEqualTo(Outcome.EXISTING);
        assertThat(computed[0]).as("a duplicate computes nothing").isFalse();
    }

    /** Publishes "{tag}{i}" as output i, after every publisher has computed (so both saw nothing stored). */
    private ConditionalOutput.Result publish(ObjectStore store, List<String> keys, String tag,
            CountDownLatch computed) {
        try {
            return ConditionalOutput.publish(store, keys, scratch.resolve(tag), files -> {
                for (int i = 0; i < files.size(); i++) {
                    Files.writeString(files.get(i), tag + i);
                }
                computed.countDown();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shared S3 store, where a conditional write of a key first waits for its latch, and the write of
     * {@code signalKey} counts {@code signal} down once done.
     */
    private static ObjectStore paced(Map<String, CountDownLatch> waitBefore, String signalKey, CountDownLatch signal) {
        return new ForwardingObjectStore(ShardedRounds.store()) {
            @Override
            public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
                CountDownLatch latch = waitBefore.get(key);
                try {
                    if (latch != null && !latch.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("timed out before writing " + key);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                Optional<StoredObject> stored = super.putIfAbsent(key, file, userMetadata);
                if (key.equals(signalKey)) {
                    signal.countDown();
                }
                return stored;
            }
        };
    }
}
