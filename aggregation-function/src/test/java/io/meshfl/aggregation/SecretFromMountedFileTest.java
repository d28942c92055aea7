package io.meshfl.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Quarkus function takes secret settings by reference, as the Knative module mounts the signing key
 * (MESHFL_TRAINING_SIGNING_KEY_FILE): the application finds functions/secrets' ConfigSourceFactory through the
 * ServiceLoader. (The token settings this function maps are set directly by the shared test resources, and a setting
 * given two ways stops the start, so the check uses a secret setting no resource sets.)
 */
@QuarkusTest
@TestProfile(SecretFromMountedFileTest.SecretInAFile.class)
@Tag("http")
class SecretFromMountedFileTest {

    static final String SECRET = "header.payload.signature-from-a-mounted-file";

    public static class SecretInAFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createDirectories(Path.of("target", "test-work", "secrets"));
                Path file = Files.writeString(dir.resolve("token"), SECRET + "\n");
                return Map.of("meshfl.training.registry-token-file", file.toAbsolutePath().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theSettingIsTheMountedFilesContent() {
        assertThat(ConfigProvider.getConfig().getValue("meshfl.training.registry-token", String.class))
                .isEqualTo(SECRET);
    }
}
