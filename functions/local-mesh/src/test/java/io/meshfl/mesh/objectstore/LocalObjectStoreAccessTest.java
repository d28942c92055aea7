package io.meshfl.mesh.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.mesh.events.BlobCreated;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Each principal of the local S3 server, over real S3 requests, sees exactly what its policy grants. */
class LocalObjectStoreAccessTest {

    private static final String GLOBAL = "models/m/global/1.safetensors";
    private static final String UPDATE_1 = "models/m/rounds/1/updates/domain-1.safetensors";
    private static final String UPDATE_2 = "models/m/rounds/1/updates/domain-2.safetensors";

    @TempDir
    static Path dir;

    private static final List<S3Principal> PRINCIPALS = S3PrincipalsFixture.ALL;
    private static final List<BlobCreated> events = new CopyOnWriteArrayList<>();
    private static LocalObjectStoreServer server;

    @BeforeAll
    static void start() {
        server = LocalObjectStoreServer.start(dir.resolve("objects"), "meshfl", 0, PRINCIPALS, events::add);
        try (S3ObjectStore governance = as("gov", "gov-secret")) {
            governance.put(GLOBAL, bytes("global"), Map.of());
            governance.put("domains/domain-2/data-products/p/1.0.0/rows.csv", bytes("a,b\n1,2\n"), Map.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDomainReadsTheGlobalModelAndWritesItsOwnUpdateWhichTheAggregatorReads() {
        try (S3ObjectStore domain = as("d1", "d1-secret"); S3ObjectStore aggregation = as("agg", "agg-secret")) {
            assertThat(new String(domain.read(GLOBAL), StandardCharsets.UTF_8)).isEqualTo("global");

            domain.put(UPDATE_1, bytes("update of domain-1"), Map.of());

            assertThat(new String(aggregation.read(UPDATE_1), StandardCharsets.UTF_8)).isEqualTo("update of domain-1");
            assertThat(events).anyMatch(event -> event.key().equals(UPDATE_1));
        }
    }

    @Test
    void aDomainCannotWriteAnotherDomainsUpdateSlotAndNothingIsStoredOrAnnounced() {
        try (S3ObjectStore domain = as("d1", "d1-secret"); S3ObjectStore governance = as("gov", "gov-secret")) {
            assertDenied(() -> domain.put(UPDATE_2, bytes("forged"), Map.of()));

            assertThat(governance.head(UPDATE_2)).isEmpty();
            assertThat(events).noneMatch(event -> event.key().equals(UPDATE_2));
        }
    }

    @Test
    void aDomainCannotOverwriteTheGlobalModelNorReadAnotherDomainsDataProduct() {
        try (S3ObjectStore domain = as("d1", "d1-secret"); S3ObjectStore governance = as("gov", "gov-secret")) {
            assertDenied(() -> domain.put(GLOBAL, bytes("hijacked"), Map.of()));
            assertDenied(() -> domain.read("domains/domain-2/data-products/p/1.0.0/rows.csv"));
            assertDenied(() -> domain.list("domains/domain-2/"));

            assertThat(new String(governance.read(GLOBAL), StandardCharsets.UTF_8)).isEqualTo("global");
        }
    }

    @Test
    void theAggregatorWritesGlobalModelsButNoUpdateAndDeletesOnlyScratch() {
        try (S3ObjectStore aggregation = as("agg", "agg-secret"); S3Client s3 = S3ObjectStore.client(settings("agg",
                "agg-secret"))) {
            aggregation.put("models/m/tmp/2.safetensors", bytes("next"), Map.of());
            s3.copyObject(b -> b.sourceBucket("meshfl").sourceKey("models/m/tmp/2.safetensors").destinationBucket("meshfl")
                    .destinationKey("models/m/global/2.safetensors"));
            aggregation.delete("models/m/tmp/2.safetensors");

            assertDenied(() -> aggregation.put(UPDATE_2, bytes("forged"), Map.of()));
            assertDenied(() -> aggregation.delete(GLOBAL));
            assertThat(aggregation.list("models/m/global/")).extracting(o -> o.key())
                    .contains(GLOBAL, "models/m/global/2.safetensors");
        }
    }

    @Test
    void aKeyPairTheServerDoesNotKnowIsRefused() {
        try (S3ObjectStore stranger = as("gov", "wrong-secret")) {
            assertThatThrownBy(() -> stranger.read(GLOBAL)).isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    private static void assertDenied(Runnable request) {
        assertThatThrownBy(request::run).isInstanceOf(S3Exception.class).satisfies(e -> {
            S3Exception s3 = (S3Exception) e;
            assertThat(s3.statusCode()).isEqualTo(403);
            assertThat(s3.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        });
    }

    private static S3ObjectStore as(String accessKey, String secretKey) {
        return S3ObjectStore.connect(settings(accessKey, secretKey));
    }

    private static S3Settings settings(String accessKey, String secretKey) {
        return new S3Settings("meshfl", server.region(), Optional.of(server.endpoint()), true, Optional.of(accessKey),
                Optional.of(secretKey));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
