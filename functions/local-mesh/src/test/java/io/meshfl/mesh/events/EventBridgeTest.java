package io.meshfl.mesh.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The event bridge on a real S3 server (embedded S3Proxy) and a real HTTP receiver (the JDK's server). */
class EventBridgeTest {

    private static final String BUCKET = "meshfl-events";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private EventBridge bridge;
    private LocalObjectStoreServer server;
    private S3ObjectStore store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** Starts the receiver answering with the status {@code statuses} gives for each request, then S3. */
    private void start(IntSupplier statuses, int maxAttempts) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            requests.incrementAndGet();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = statuses.getAsInt();
            if (status == 200) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        URI endpoint = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/aggregate");
        bridge = new EventBridge(new EventBridge.Settings(endpoint, "us-east-1", 16, maxAttempts, Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofSeconds(10), dir.resolve("dead-letters.jsonl")), () -> "function-token");
        server = LocalObjectStoreServer.start(dir.resolve("objects"), BUCKET, 0,
                List.of(new S3Principal("access", "secret", FederationAccess.rendered(BUCKET, List.of()).governance()),
                        new S3Principal("aggregator", "aggregator-secret",
                                FederationAccess.rendered(BUCKET, List.of()).aggregation())), bridge);
        store = S3ObjectStore.connect(settings());
    }

    private S3Settings settings() {
        return new S3Settings(BUCKET, "us-east-1", Optional.of(server.endpoint()), true, Optional.of("access"),
                Optional.of("secret"));
    }

    private void awaitIdle() throws InterruptedException {
        assertThat(bridge.awaitIdle(Duration.ofSeconds(20))).as("bridge idle").isTrue();
    }

    private static JsonNode record(String body) throws IOException {
        JsonNode records = JSON.readTree(body).get("Records");
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String decodedKey(JsonNode record) {
        return URLDecoder.decode(record.at("/s3/object/key").asText(), StandardCharsets.UTF_8);
    }

    @Test
    void everyCreatedUpdateIsDeliveredAsAnS3ObjectCreatedNotification() throws Exception {
        start(() -> 200, 3);

        StoredObject put = store.put("models/m1/rounds/1/updates/domain-1.safetensors", new byte[] {1, 2, 3}, Map.of());
        StoredObject spaced = store.put("models/m1/rounds/1/updates/domain 2.safetensors", new byte[] {4, 5}, Map.of());
        store.put("staging/domain-3.safetensors", new byte[] {6, 7, 8, 9}, Map.of());
        // A server-side copy, as any S3 client (aws s3 cp) may make one: MeshFL's port has none.
        try (S3Client s3 = S3ObjectStore.client(settings())) {
            s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("staging/domain-3.safetensors").destinationBucket(BUCKET)
                    .destinationKey("models/m1/rounds/1/updates/domain-3.safetensors"));
        }
        StoredObject copied = store.head("models/m1/rounds/1/updates/domain-3.safetensors").orElseThrow();
        awaitIdle();

        assertThat(received).hasSize(3);
        JsonNode first = record(received.stream().filter(b -> b.contains("domain-1")).findFirst().orElseThrow());
        assertThat(first.get("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(first.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(first.at("/s3/bucket/name").asText()).isEqualTo(BUCKET);
        assertThat(decodedKey(first)).isEqualTo(put.key());
        assertThat(first.at("/s3/object/eTag").asText()).isEqualTo(put.etag());
        assertThat(first.at("/s3/object/size").asLong()).isEqualTo(3);

        JsonNode withSpace = record(received.stream().filter(b -> b.contains("domain+2")).findFirst().orElseThrow());
        assertThat(withSpace.at("/s3/object/key").asText()).isEqualTo("models/m1/rounds/1/updates/domain+2.safetensors");
        assertThat(decodedKey(withSpace)).isEqualTo(spaced.key());

        JsonNode copy = record(received.stream().filter(b -> b.contains("domain-3")).findFirst().orElseThrow());
        assertThat(copy.get("eventName").asText()).isEqualTo("ObjectCreated:Copy");
        assertThat(copy.at("/s3/object/eTag").asText()).isEqualTo(copied.etag());
        assertThat(copy.at("/s3/object/size").asLong()).isEqualTo(4);
        assertThat(bridge.delivered()).isEqualTo(3);
        assertThat(authorizations).as("each delivery shows the function's token")
                .containsOnly("Bearer function-token");
    }

    @Test
    void completingAMultipartUploadOfAnUpdateIsDelivered() throws Exception {
        start(() -> 200, 3);
        String key = "models/m1/rounds/2/updates/domain-1.safetensors";
        try (S3Client s3 = S3ObjectStore.client(settings())) {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
            String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(new byte[] {9, 9, 9})).eTag();
            s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        }
        awaitIdle();

        assertThat(received).hasSize(1);
        JsonNode record = record(received.get(0));
        assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(decodedKey(record)).isEqualTo(key);
        assertThat(record.at("/s3/object/eTag").asText()).isEqualTo(store.head(key).orElseThrow().etag());
    }

    @Test
    void updatesAndTreeObjectsAreDeliveredAndNothingElse() throws Exception {
        start(() -> 200, 3);

        store.put("domains/domain-1/data-products/dp/1.0.0/rows.csv", new byte[] {1}, Map.of());
        store.put("models/m1/global/2.safetensors", new byte[] {1}, Map.of());
        store.put("models/m1/rounds/1/other/domain-1.safetensors", new byte[] {1}, Map.of());
        store.put("models/m1/rounds/1/updates/domain-1.safetensors", new byte[] {1}, Map.of());
        try (S3ObjectStore aggregator = S3ObjectStore.connect(new S3Settings(BUCKET, "us-east-1",
                Optional.of(server.endpoint()), true, Optional.of("aggregator"), Optional.of("aggregator-secret")))) {
            aggregator.put("models/m1/state/2.safetensors", new byte[] {1}, Map.of());
            aggregator.put("models/m1/tmp/2-0b7e/global.safetensors", new byte[] {1}, Map.of());
            // A sharded round's tree (as the Terraform modules route it): a leaf's task object and a partial.
            aggregator.put("models/m1/tmp/2-tree-0a1b2c/tasks/s0/l0-1", new byte[] {1}, Map.of());
            aggregator.put("models/m1/tmp/2-tree-0a1b2c/s0/l0-1.safetensors", new byte[] {1}, Map.of());
        }
        awaitIdle();

        List<String> keys = new ArrayList<>();
        for (String body : received) {
            keys.add(decodedKey(record(body)));
        }
        assertThat(keys).containsExactlyInAnyOrder(
                "models/m1/rounds/1/updates/domain-1.safetensors", "models/m1/tmp/2-tree-0a1b2c/tasks/s0/l0-1",
                "models/m1/tmp/2-tree-0a1b2c/s0/l0-1.safetensors");
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void anEventAnsweredWith5xxIsRetriedUntilDelivered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(() -> calls.incrementAndGet() <= 2 ? 503 : 200, 5);

        StoredObject put = store.put("models/m1/rounds/1/updates/domain-1.safetensors", new byte[] {1, 2}, Map.of());
        awaitIdle();

        assertThat(requests.get()).isEqualTo(3);
        assertThat(received).hasSize(1);
        assertThat(record(received.get(0)).at("/s3/object/eTag").asText()).isEqualTo(put.etag());
        assertThat(bridge.delivered()).isEqualTo(1);
        assertThat(bridge.attempts()).isEqualTo(3);
        assertThat(bridge.deadLettered()).isZero();
    }

    @Test
    void anEventStillFailingAfterItsLastAttemptIsWrittenToTheDeadLetterFile() throws Exception {
        start(() -> 500, 3);

        store.put("models/m1/rounds/1/updates/domain-1.safetensors", new byte[] {1}, Map.of());
        awaitIdle();

        assertThat(requests.get()).isEqualTo(3);
        assertThat(bridge.deadLettered()).isEqualTo(1);
        List<String> lines = Files.readAllLines(dir.resolve("dead-letters.jsonl"));
        assertThat(lines).hasSize(1);
        assertThat(decodedKey(record(lines.get(0)))).isEqualTo("models/m1/rounds/1/updates/domain-1.safetensors");
    }

    @Test
    void anEventRefusedWith4xxIsNotRetried() throws Exception {
        start(() -> 400, 5);

        store.put("models/m1/rounds/1/updates/domain-1.safetensors", new byte[] {1}, Map.of());
        awaitIdle();

        assertThat(requests.get()).isEqualTo(1);
        assertThat(bridge.deadLettered()).isEqualTo(1);
    }

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheCap() {
        EventBridge bridge = new EventBridge(new EventBridge.Settings(URI.create("http://127.0.0.1:1/"), "us-east-1", 1, 10,
                Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), dir.resolve("dl")), () -> "t");
        try {
            assertThat(List.of(bridge.backoff(1), bridge.backoff(2), bridge.backoff(3), bridge.backoff(4), bridge.backoff(30)))
                    .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                            Duration.ofMillis(500), Duration.ofMillis(500));
        } finally {
            bridge.close();
        }
    }
}
