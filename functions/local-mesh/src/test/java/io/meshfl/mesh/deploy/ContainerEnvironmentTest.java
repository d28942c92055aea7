package io.meshfl.mesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Knative modules' rendered training container, made concrete for one local process. */
class ContainerEnvironmentTest {

    @TempDir
    Path dir;

    private LocalInstallation installation() {
        return new LocalInstallation(dir.resolve("container"))
                .placeholder("domain", "domain-7")
                .placeholder("federation_bucket", "local-bucket")
                .placeholder("region", "us-east-1")
                .placeholder("object_store_endpoint", "http://127.0.0.1:9000")
                .placeholder("registry_url", "http://127.0.0.1:8081")
                .secret("domain-object-store", "access-key", "AK")
                .secret("domain-object-store", "secret-key", "SK")
                .secret("domain-registry-token", "token", "a.domain.token")
                .secret("domain-signing-key", "signing-key", "-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void theRenderedTrainingContainerGetsItsSecretsPlaceholdersMountsAndScratch() {
        ContainerEnvironment environment = ContainerEnvironment.of(
                RenderedEnvironments.shipped().container("training"), installation());

        Map<String, String> variables = environment.variables();
        assertThat(variables).containsEntry("MESHFL_TRAINING_DOMAIN", "domain-7")
                .containsEntry("MESHFL_REGISTRY_URL", "http://127.0.0.1:8081")
                .containsEntry("MESHFL_OBJECT_STORE_BUCKET", "local-bucket")
                .containsEntry("MESHFL_OBJECT_STORE_ENDPOINT", "http://127.0.0.1:9000")
                .containsEntry("MESHFL_OBJECT_STORE_SECRET_KEY", "SK")
                .containsEntry("MESHFL_TRAINING_REGISTRY_TOKEN", "a.domain.token")
                .as("the container's /tmp is its own")
                .containsEntry("DJL_CACHE_DIR", dir.resolve("container/tmp/djl").toString());
        Path signingKey = dir.resolve("container/mounts/signing-key/signing-key");
        assertThat(variables).as("a path into the mounted Secret points at the mount's local file")
                .containsEntry("MESHFL_TRAINING_SIGNING_KEY_FILE", signingKey.toString());
        assertThat(environment.files()).containsExactly(Map.entry(signingKey, "-----BEGIN PRIVATE KEY-----"));
        assertThat(variables.values()).noneMatch(value -> value.contains("${"));
    }

    @Test
    void aSecretKeptInAFileIsMountedAsThatFile() {
        Path kept = dir.resolve("signing-key.pem");
        ContainerEnvironment environment = ContainerEnvironment.of(RenderedEnvironments.shipped().container("training"),
                installation().secretFile("domain-signing-key", "signing-key", kept));

        assertThat(environment.variables()).containsEntry("MESHFL_TRAINING_SIGNING_KEY_FILE", kept.toString());
        assertThat(environment.files()).isEmpty();
    }

    @Test
    void aSecretTheInstallationLacksIsAnErrorNamingTheSecretAndTheVariable() {
        LocalInstallation withoutToken = new LocalInstallation(dir)
                .placeholder("domain", "d").placeholder("federation_bucket", "b").placeholder("region", "r")
                .placeholder("object_store_endpoint", "http://e").placeholder("registry_url", "http://r")
                .secret("domain-object-store", "access-key", "AK").secret("domain-object-store", "secret-key", "SK")
                .secret("domain-signing-key", "signing-key", "k");

        assertThatThrownBy(() -> ContainerEnvironment.of(RenderedEnvironments.shipped().container("training"),
                withoutToken)).hasMessageContaining("Secret domain-registry-token key token")
                .hasMessageContaining("MESHFL_TRAINING_REGISTRY_TOKEN");
    }

    @Test
    void aPlaceholderTheInstallationDoesNotFillIsAnErrorNamingTheVariable() throws Exception {
        Path rendered = dir.resolve("rendered.json");
        Files.writeString(rendered, """
                {"functions": {"training": {"env": [{"name": "MESHFL_REGISTRY_URL", "value": "${registry_address}"}]}}}
                """);

        assertThatThrownBy(() -> ContainerEnvironment.of(RenderedEnvironments.fromFile(rendered).container("training"),
                installation())).hasMessageContaining("MESHFL_REGISTRY_URL").hasMessageContaining("${registry_address}");
    }

    @Test
    void aVariableGivenAnotherWayThanAValueOrASecretKeyIsRefused() throws Exception {
        Path rendered = dir.resolve("rendered.json");
        Files.writeString(rendered, """
                {"functions": {"training": {"env": [{"name": "MESHFL_TRAINING_DOMAIN",
                  "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}]}}}
                """);

        assertThatThrownBy(() -> RenderedEnvironments.fromFile(rendered).container("training"))
                .hasMessageContaining("MESHFL_TRAINING_DOMAIN").hasMessageContaining("neither as a value nor from a Secret");
    }
}
