package io.meshfl.mesh.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.mesh.events.BlobCreated;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The path-traversal attacks of issue 14 replayed with a domain's own key pair through the AWS SDK: S3Proxy's
 * filesystem store resolves {@code ..}, so every key or prefix that is not canonical must be refused before a
 * policy looks at it, and nothing stored may change.
 */
class LocalObjectStoreTraversalTest {

    private static final String GLOBAL = "models/m/global/1.safetensors";
    private static final String UPDATE_2 = "models/m/rounds/1/updates/domain-2.safetensors";
    private static final String ROWS_2 = "domains/domain-2/data-products/p/1.0.0/rows.csv";

    @TempDir
    static Path dir;

    private static final List<BlobCreated> events = new CopyOnWriteArrayList<>();
    private static LocalObjectStoreServer server;
    private static List<String> storedBefore;

    @BeforeAll
    static void start() throws IOException {
        server = LocalObjectStoreServer.start(dir.resolve("objects"), "meshfl", 0, S3PrincipalsFixture.ALL, events::add);
        try (S3ObjectStore governance = as(S3PrincipalsFixture.GOVERNANCE); S3ObjectStore d2 = as(S3PrincipalsFixture.DOMAIN_2)) {
            governance.put(GLOBAL, bytes("global"), Map.of());
            governance.put(ROWS_2, bytes("a,b\n1,2\n"), Map.of());
            governance.put("domains/domain-1/data-products/p/1.0.0/rows.csv", bytes("a,b\n3,4\n"), Map.of());
            d2.put(UPDATE_2, bytes("update of domain-2"), Map.of());
        }
        storedBefore = storedFiles();
        events.clear();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingStoredChangedAndNothingWasAnnounced() throws IOException {
        assertThat(storedFiles()).isEqualTo(storedBefore);
        try (S3ObjectStore governance = as(S3PrincipalsFixture.GOVERNANCE)) {
            assertThat(new String(governance.read(GLOBAL), StandardCharsets.UTF_8)).isEqualTo("global");
            assertThat(new String(governance.read(UPDATE_2), StandardCharsets.UTF_8)).isEqualTo("update of domain-2");
        }
        assertThat(events).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "domains/domain-1/../domain-2/data-products/p/1.0.0/rows.csv",
            "domains/domain-1/%2e%2e/domain-2/data-products/p/1.0.0/rows.csv",
            "domains/domain-1/%2E%2e/domain-2/data-products/p/1.0.0/rows.csv",
            "models/m/global/../rounds/1/updates/domain-2.safetensors",
            "domains/domain-1/./../domain-2/data-products/p/1.0.0/rows.csv",
            "domains/domain-1//rows.csv",
            "domains/domain-1/..\\domain-2\\data-products\\p\\1.0.0\\rows.csv",
            "domains/domain-1/rows\u0000.csv"})
    void aDomainCannotReadOtherKeysThroughATraversalKey(String key) {
        try (S3ObjectStore domain = as(S3PrincipalsFixture.DOMAIN_1)) {
            assertRefused(() -> domain.read(key));
            assertRefused(() -> domain.head(key));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"domains/domain-1/../", "domains/domain-1/..", "domains/domain-1/%2e%2e/", "domains/domain-1//"})
    void aDomainCannotListOtherPrefixesThroughATraversalPrefix(String prefix) {
        try (S3ObjectStore domain = as(S3PrincipalsFixture.DOMAIN_1)) {
            assertRefused(() -> domain.list(prefix));
        }
    }

    @Test
    void aDomainCannotOverwriteNorDeleteTheGlobalModelThroughItsOwnPrefix() {
        String traversal = "domains/domain-1/../../" + GLOBAL;
        try (S3ObjectStore domain = as(S3PrincipalsFixture.DOMAIN_1);
                S3Client s3 = S3ObjectStore.client(settings(S3PrincipalsFixture.DOMAIN_1))) {
            assertRefused(() -> domain.put(traversal, bytes("hijacked"), Map.of()));
            assertRefused(() -> domain.delete(traversal));
            assertRefused(() -> s3.copyObject(b -> b.sourceBucket("meshfl")
                    .sourceKey("domains/domain-1/data-products/p/1.0.0/rows.csv").destinationBucket("meshfl")
                    .destinationKey(traversal)));
        }
    }

    @Test
    void aDomainCannotPlantAnUpdateInAnotherDomainsSlot() {
        try (S3ObjectStore domain = as(S3PrincipalsFixture.DOMAIN_1)) {
            assertRefused(() -> domain.put("domains/domain-1/../../" + UPDATE_2, bytes("junk"), Map.of()));
            assertRefused(() -> domain.put("models/m/rounds/1/updates/domain-1.safetensors/../domain-2.safetensors",
                    bytes("junk"), Map.of()));
        }
    }

    @Test
    void theRefusalSaysWhichKeyIsNotCanonical() {
        try (S3ObjectStore domain = as(S3PrincipalsFixture.DOMAIN_1)) {
            assertThatThrownBy(() -> domain.read("domains/domain-1/../domain-2/x")).isInstanceOf(S3Exception.class)
                    .satisfies(e -> {
                        S3Exception s3 = (S3Exception) e;
                        assertThat(s3.statusCode()).isEqualTo(400);
                        assertThat(s3.awsErrorDetails().errorMessage())
                                .contains("domains/domain-1/../domain-2/x").contains("'..' segment");
                    });
        }
    }

    private static void assertRefused(Runnable request) {
        assertThatThrownBy(request::run).isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isIn(400, 403));
    }

    /** Every file under the store's directory with its content: what a refused request must leave as it was. */
    private static List<String> storedFiles() throws IOException {
        Path objects = dir.resolve("objects");
        try (Stream<Path> files = Files.walk(objects)) {
            return files.filter(Files::isRegularFile).sorted().map(file -> {
                try {
                    return objects.relativize(file) + " " + Files.size(file) + " "
                            + java.util.Arrays.hashCode(Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static S3ObjectStore as(S3Principal principal) {
        return S3ObjectStore.connect(settings(principal));
    }

    private static S3Settings settings(S3Principal principal) {
        return new S3Settings("meshfl", server.region(), Optional.of(server.endpoint()), true,
                Optional.of(principal.accessKey()), Optional.of(principal.secretKey()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
