package io.meshfl.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {

    private final List<String> asked = new ArrayList<>();
    private final SecretReferences references = new SecretReferences(arn -> {
        asked.add(arn);
        return "from " + arn;
    });

    @TempDir
    Path dir;

    private SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(Map.of("meshfl.training.hold-out-fraction", "0.2"),
                        "application.properties", 250))
                .withSources(references)
                .build();
    }

    @Test
    void aMountedFileGivesTheSettingItsValueWithoutTheTrailingNewline() throws Exception {
        Path key = Files.writeString(dir.resolve("signing-key"),
                "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");

        SmallRyeConfig config = config(Map.of("MESHFL_TRAINING_SIGNING_KEY_FILE", key.toString()));

        assertThat(config.getValue("meshfl.training.signing-key", String.class))
                .isEqualTo("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----");
    }

    @Test
    void aSecretsManagerArnIsReadOnceAtStart() {
        SmallRyeConfig config = config(Map.of("QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN",
                "arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster#password"));

        assertThat(config.getValue("quarkus.datasource.password", String.class))
                .isEqualTo("from arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster#password");
        assertThat(asked).containsExactly("arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster#password");
    }

    @Test
    void aSettingGivenDirectlyIsLeftAlone() {
        SmallRyeConfig config = config(Map.of("MESHFL_REGISTRY_TOKEN", "a.b.c"));

        assertThat(config.getValue("meshfl.registry.token", String.class)).isEqualTo("a.b.c");
        assertThat(asked).isEmpty();
    }

    @Test
    void aSettingGivenTwoWaysStopsTheStartNamingBoth() {
        assertThatThrownBy(() -> config(Map.of("MESHFL_REGISTRY_TOKEN", "a.b.c",
                "MESHFL_REGISTRY_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:t")))
                .hasMessageContaining("meshfl.registry.token is given more than one way")
                .hasMessageNotContaining("a.b.c");
    }

    @Test
    void aReferenceOverridesALowerRankedDefault() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "from.the.file\n");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("MESHFL_REGISTRY_TOKEN_FILE", token.toString()), 300))
                .withSources(new PropertiesConfigSource(Map.of("meshfl.registry.token", "recorded.at.build"),
                        "defaults", 100))
                .withSources(references)
                .build();

        assertThat(config.getValue("meshfl.registry.token", String.class)).isEqualTo("from.the.file");
    }

    @Test
    void aMissingFileNamesTheSettingAndThePath() {
        Path missing = dir.resolve("nothing-here");

        assertThatThrownBy(() -> config(Map.of("MESHFL_TRAINING_REGISTRY_TOKEN_FILE", missing.toString())))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("meshfl.training.registry-token-file names " + missing);
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> config(Map.of("MESHFL_TRAINING_SIGNING_KEY_FILE", empty.toString())))
                .hasMessageContaining("which is empty");
    }
}
