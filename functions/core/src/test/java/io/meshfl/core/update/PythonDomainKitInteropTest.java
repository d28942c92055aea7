package io.meshfl.core.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python domain kit (clients/python, {@code python3 -m meshfl_domain}) against core's signing: it re-signs a
 * Java-written update with another domain key and the Java verifier and validator accept the result; it verifies
 * what Java signed. Skipped only where python3 with numpy and cryptography is missing (CI installs Debian's
 * python3-numpy, python3-cryptography, python3-boto3).
 */
class PythonDomainKitInteropTest {

    private static final Path KIT = Path.of("../../clients/python");
    private static final String BASE = "5e".repeat(32);

    @TempDir
    Path dir;
    Path update;
    ModelManifest manifest;
    DomainKeyPair javaKey;

    @BeforeEach
    void aJavaWrittenUpdate() throws IOException {
        assumeTrue(pythonWithTheKitsPackages(), "python3 with numpy and cryptography is not installed");
        manifest = new ModelManifest(List.of(TensorSpec.of("layers.0.weight", Dtype.F32, 2, 3),
                TensorSpec.of("layers.0.bias", Dtype.F32, 2), TensorSpec.of("scale", Dtype.F64, 1)));
        ModelWeights weights = new ModelWeights(manifest, List.of(new float[] {1, -2, 0.5f, 3, 0.25f, -1},
                new float[] {0.125f, -0.5f}, new float[] {2}));
        javaKey = DomainKeyPair.generate();
        update = dir.resolve("update.safetensors");
        new UpdateWriter(javaKey.signer()).write(update, weights, UpdateMetadata.unsigned("churn", "crm", 5, BASE, 320,
                "{\"loss\":0.3,\"note\":\"née\"}"));
    }

    @Test
    void theJavaVerifierAcceptsAnUpdateTheKitReSignedWithAnotherDomainKey() throws Exception {
        DomainKeyPair pythonKey = DomainKeyPair.generate();
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, pem(Base64.getDecoder().decode(pythonKey.privateKeyBase64())), StandardCharsets.US_ASCII);

        String output = kit("sign", update.toString(), "--key", pem.toString());

        assertThat(output).isEmpty();
        try (SafetensorsReader reader = SafetensorsReader.open(update)) {
            byte[] payload = SigningPayload.of(reader.metadata(), reader.header().tensors());
            String signature = reader.metadata().get(UpdateMetadata.SIGNATURE);
            assertThat(pythonKey.verifier().verify(payload, signature)).isTrue();
            assertThat(javaKey.verifier().verify(payload, signature)).as("the kit really re-signed it").isFalse();
        }
        ValidationResult result = new UpdateValidator(manifest, UpdatePolicy.unbounded()).validate(update,
                new UpdateExpectation("churn", "crm", 5L, pythonKey.verifier()).withBaseModelSha256(BASE)
                        .withMaxExamples(320));
        assertThat(result.accepted()).as(result.toString()).isTrue();
    }

    @Test
    void theKitVerifiesWhatJavaSignedAndComputesTheSamePayload() throws Exception {
        String verified = kit("verify", update.toString(), "--public-key", javaKey.publicKeyBase64(), "--model",
                "churn", "--domain", "crm", "--round", "5", "--base-model-sha256", BASE);
        String payload = kit("payload", update.toString());

        assertThat(verified).contains("verified");
        try (SafetensorsReader reader = SafetensorsReader.open(update)) {
            assertThat(payload.strip()).isEqualTo(java.util.HexFormat.of().formatHex(
                    SigningPayload.of(reader.metadata(), reader.header().tensors())));
        }
    }

    private String kit(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-m", "meshfl_domain"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(KIT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static boolean pythonWithTheKitsPackages() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import numpy, cryptography")
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
