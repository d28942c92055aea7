package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.deploy.RenderedEnvironments;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.AccessPolicy;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.mesh.process.FunctionProcess;
import io.meshfl.mesh.process.FunctionSpec;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions start from what the Knative modules render; a module that misnames a variable stops the function at
 * boot here (issue 13, defect 1: the domain modules set MESHFL_DOMAIN, the function reads MESHFL_TRAINING_DOMAIN).
 */
class RenderedFunctionsTest {

    @TempDir
    Path dir;

    private RenderedFunctions functions(RenderedEnvironments environments) {
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(dir.resolve("keys"));
        return new RenderedFunctions(environments, new MeshLayout(dir.resolve("mesh")), FunctionJars.located(),
                new RegistryTrust(issuer.publicKeyPem(), issuer.issuer(), issuer::function, issuer::domain));
    }

    private FunctionSpec training(RenderedFunctions functions) {
        return functions.training("domain-1",
                new RenderedFunctions.ObjectStoreAddress(URI.create("http://127.0.0.1:9"), "us-east-1", "bucket"),
                URI.create("http://127.0.0.1:9"), new S3Principal("AK", "SK", new AccessPolicy("domain-1",
                        "arn:aws:iam::000000000000:role/meshfl-training-domain-1", List.of(), Optional.empty())),
                DomainSigningKey.loadOrCreate(dir.resolve("domain-1")));
    }

    @Test
    void aTrainingContainerThatNamesItsDomainMESHFL_DOMAINStopsTheFunctionAtBoot() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, shipped().replace("\"MESHFL_TRAINING_DOMAIN\"", "\"MESHFL_DOMAIN\""));

        FunctionSpec spec = training(functions(RenderedEnvironments.fromFile(broken)));

        assertThat(spec.environment()).containsKey("MESHFL_DOMAIN").doesNotContainKey("MESHFL_TRAINING_DOMAIN");
        assertThatThrownBy(() -> FunctionProcess.start(spec, dir.resolve("logs"), Duration.ofMinutes(1)))
                .hasMessageContaining("exited").hasMessageContaining("meshfl.training.domain");
    }

    @Test
    void theMeshMayNotReplaceAVariableTheModuleSets() throws Exception {
        Path rendered = dir.resolve("threads.json");
        Files.writeString(rendered, shipped().replace("\"OPT_OUT_TRACKING\"", "\"MESHFL_TRAINING_THREADS\""));

        assertThatThrownBy(() -> training(functions(RenderedEnvironments.fromFile(rendered))))
                .hasMessageContaining("would replace MESHFL_TRAINING_THREADS");
    }

    @Test
    void theShippedTrainingContainerLeavesTheMeshOnlyItsDeclaredAdditions() {
        FunctionSpec spec = training(functions(RenderedEnvironments.shipped()));

        // The issuer's key and name: the HTTP build's POST /vertical verifies its callers' function tokens.
        assertThat(spec.systemProperties()).containsOnlyKeys("meshfl.training.threads", "meshfl.training.work-dir",
                "ai.djl.offline", "mp.jwt.verify.publickey.location", "mp.jwt.verify.issuer");
        assertThat(spec.environment()).containsEntry("MESHFL_TRAINING_DOMAIN", "domain-1")
                .containsEntry("MESHFL_TRAINING_SIGNING_KEY_FILE",
                        dir.resolve("domain-1").resolve(DomainSigningKey.PRIVATE_KEY_FILE).toString())
                .doesNotContainKey("MESHFL_TRAINING_SIGNING_KEY");
    }

    private static String shipped() throws Exception {
        try (InputStream in = RenderedEnvironments.class.getResourceAsStream(RenderedEnvironments.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
