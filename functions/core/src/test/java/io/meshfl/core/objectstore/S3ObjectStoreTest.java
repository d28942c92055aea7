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
    void fileUploadDownloadAndServerSideCopyKeepTheContent(@TempDir Path dir) throws Exception {
        Path source = Files.write(dir.resolve("in.bin"), new byte[] {1, 2, 3, 4, 5});
        store.put("copy/source", source, Map.of("num_examples", "12"));

        StoredObject copied = store.copy("copy/source", "copy/target");
        Path target = dir.resolve("out.bin");
        store.download("copy/target", target);

        assertThat(copied.size()).isEqualTo(5);
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3, 4, 5);
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
