package io.meshfl.core.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real S3Proxy server on loopback, through the AWS SDK, as in a deployment. */
class S3ObjectStoreTest {

    private static S3ObjectStore store;

    @BeforeAll
    static void connect() {
        S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
        s3.ensureBucket("core-test");
        store = S3ObjectStore.connect(new S3Settings("core-test", s3.region(), Optional.of(s3.uri()), true,
                Optional.of(s3.accessKey()), Optional.of(s3.secretKey())));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void putThenReadReturnsTheSameBytesAndAnEtag() {
        byte[] content = "weights".getBytes(StandardCharsets.UTF_8);

        StoredObject stored = store.put("models/m/global/0.safetensors", content, Map.of());

        assertThat(store.read("models/m/global/0.safetensors")).isEqualTo(content);
        assertThat(stored.etag()).isNotBlank().doesNotContain("\"");
        assertThat(store.head("models/m/global/0.safetensors")).contains(stored);
    }

    @Test
    void listReturnsOnlyKeysUnderThePrefixInKeyOrder() {
        store.put("list/a/2", new byte[] {2}, Map.of());
        store.put("list/a/1", new byte[] {1}, Map.of());
        store.put("list/b/1", new byte[] {3}, Map.of());

        assertThat(store.list("list/a/")).extracting(StoredObject::key).containsExactly("list/a/1", "list/a/2");
    }

    @Test
    void fileUploadAndDownloadKeepTheContent(@TempDir Path dir) throws Exception {
        Path source = Files.write(dir.resolve("in.bin"), new byte[] {1, 2, 3, 4, 5});
        StoredObject stored = store.put("files/source", source, Map.of("num_examples", "12"));

        Path target = dir.resolve("out.bin");
        store.download("files/source", target);

        assertThat(stored.size()).isEqualTo(5);
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void putIfAbsentCreatesOnceAndNeverReplaces(@TempDir Path dir) throws Exception {
        Path first = Files.write(dir.resolve("first.bin"), new byte[] {1});
        Path second = Files.write(dir.resolve("second.bin"), new byte[] {2, 2});

        Optional<StoredObject> created = store.putIfAbsent("once/update", first, Map.of());
        Optional<StoredObject> again = store.putIfAbsent("once/update", second, Map.of());

        assertThat(created).isPresent();
        assertThat(again).isEmpty();
        assertThat(store.read("once/update")).containsExactly(1);
        assertThat(store.head("once/update")).isEqualTo(created);
    }

    @Test
    void aRefusedConditionalPutWhoseAttemptIsTheStoredObjectCountsAsCreated() {
        // What the SDK's retry of a stored PUT meets: 412, and the object there carries this attempt's mark.
        StoredObject stored = store.put("retried/update", new byte[] {7}, Map.of(S3ObjectStore.PUT_ATTEMPT, "attempt-a"));

        assertThat(store.storedBy("retried/update", "attempt-a")).contains(stored);
        assertThat(store.storedBy("retried/update", "attempt-b")).as("another writer's object").isEmpty();
        assertThat(store.storedBy("retried/nothing", "attempt-a")).isEmpty();
    }

    @Test
    void ofConcurrentPutIfAbsentWritersExactlyOneCreatesTheObject(@TempDir Path dir) throws Exception {
        int writers = 8;
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < writers; i++) {
            files.add(Files.write(dir.resolve(i + ".bin"), new byte[] {(byte) i}));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Optional<StoredObject>>> results = new java.util.ArrayList<>();
            for (Path file : files) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.putIfAbsent("race/update", file, Map.of());
                }));
            }
            start.countDown();
            java.util.List<StoredObject> winners = new java.util.ArrayList<>();
            for (var result : results) {
                result.get().ifPresent(winners::add);
            }

            assertThat(winners).hasSize(1);
            assertThat(store.head("race/update")).contains(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingKeyIsEmptyOnHeadAndANamedErrorOnRead() {
        assertThat(store.head("nothing/here")).isEmpty();
        assertThatThrownBy(() -> store.read("nothing/here"))
                .isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining("nothing/here");
    }

    @Test
    void deleteRemovesTheObject() {
        store.put("delete/me", new byte[] {1}, Map.of());

        store.delete("delete/me");

        assertThat(store.head("delete/me")).isEmpty();
    }
}
