package io.meshfl.core.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python snippet of docs/update-signing.md, run as it stands in the docs with {@code python3} (standard library
 * and {@code cryptography}): what it signs the Java verifier accepts, and it computes the committed test vectors'
 * payload and signature byte for byte.
 */
class PythonSigningInteropTest {

    private static final Path DOCS = Path.of("../../docs/update-signing.md");
    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- meshfl_sign\\.py[^>]*-->\\s*```python\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;
    Path script;

    @BeforeEach
    void extractTheSnippet() throws IOException {
        Matcher matcher = SNIPPET.matcher(Files.readString(DOCS, StandardCharsets.UTF_8));
        assertThat(matcher.find()).as("the meshfl_sign.py block in " + DOCS).isTrue();
        script = dir.resolve("meshfl_sign.py");
        Files.writeString(script, matcher.group(1), StandardCharsets.UTF_8);
    }

    @Test
    void theJavaVerifierAcceptsAnUpdateSignedByThePythonSnippetWithAJavaGeneratedKey() throws Exception {
        assumeTrue(pythonWithCryptography(), "python3 with cryptography is not installed");
        // Prepare: a Java-generated key, and an update as a Python domain's safetensors writer leaves it (unsigned)
        DomainKeyPair keys = DomainKeyPair.generate();
        Path key = dir.resolve("key.pem");
        Files.writeString(key, SigningVectors.pem(Base64.getDecoder().decode(keys.privateKeyBase64())));
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("layers.0.weight", Dtype.F32, 2, 2),
                TensorSpec.of("layers.0.bias", Dtype.F32, 2)));
        Path update = dir.resolve("update.safetensors");
        new ModelWeights(manifest, List.of(new float[] {1, 2, 3, 4}, new float[] {-1, 0.5f})).write(update, Map.of(
                "model", "churn", "domain", "crm", "base_round", "7", "base_model_sha256", "0a".repeat(32),
                "num_examples", "640", "metrics", "{\"loss\": 0.3, \"note\": \"née\"}", "format", "pt"));

        // Execute
        String output = python("sign", update.toString(), key.toString());

        // Assert
        assertThat(output).isEmpty();
        ValidationResult result = new UpdateValidator(manifest, UpdatePolicy.unbounded()).validate(update,
                new UpdateExpectation("churn", "crm", 7L, keys.verifier()).withBaseModelSha256("0a".repeat(32)));
        assertThat(result.accepted()).as(result.toString()).isTrue();
        assertThat(((ValidationResult.Accepted) result).numExamples()).isEqualTo(640);
    }

    @Test
    void thePythonSnippetReproducesTheCommittedPayloadAndSignature() throws Exception {
        assumeTrue(pythonWithCryptography(), "python3 with cryptography is not installed");
        Path vector = SigningVectors.DIRECTORY.resolve(SigningVectors.UPDATE);
        Path copy = dir.resolve("vector.safetensors");
        Files.copy(vector, copy);

        String payload = python("payload", copy.toString());
        python("sign", copy.toString(), SigningVectors.DIRECTORY.resolve(SigningVectors.KEY).toString());

        assertThat(payload.strip()).isEqualTo(vectorText(SigningVectors.PAYLOAD));
        try (SafetensorsReader reader = SafetensorsReader.open(copy)) {
            // Ed25519 is deterministic: the same key over the same payload gives the same signature
            assertThat(reader.metadata().get("signature")).isEqualTo(vectorText(SigningVectors.SIGNATURE));
        }
    }

    @Test
    void aZeroSizeTensorListedAfterTheTensorAtItsOffsetIsSignedBeforeItInJavaAndInTheSnippet() throws Exception {
        // Prepare: a header listing "b" (8 bytes from offset 0) before the zero-size "a" at the same offset
        Map<String, String> metadata = Map.of("model", "m", "domain", "d");
        TensorInfo b = new TensorInfo(TensorSpec.of("b", Dtype.F32, 2), 0, 8);
        TensorInfo a = new TensorInfo(TensorSpec.of("a", Dtype.F32, 0), 0, 0);
        byte[] header = ("{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"__metadata__\":{\"model\":\"m\",\"domain\":\"d\"}}").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("zero-size.safetensors");
        Files.write(file, ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).putFloat(1f).putFloat(2f).array());

        // Execute
        byte[] listed = SigningPayload.of(metadata, List.of(b, a));
        byte[] dataOrder = SigningPayload.of(metadata, List.of(a, b));

        // Assert: (begin, end) order whatever the listing, and the documented snippet agrees byte for byte
        assertThat(listed).isEqualTo(dataOrder);
        assumeTrue(pythonWithCryptography(), "python3 with cryptography is not installed");
        assertThat(python("payload", file.toString()).strip()).isEqualTo(HexFormat.of().formatHex(listed));
    }

    private String python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String vectorText(String file) throws IOException {
        return Files.readString(SigningVectors.DIRECTORY.resolve(file), StandardCharsets.US_ASCII).strip();
    }

    private static boolean pythonWithCryptography() {
        try {
            Process process = new ProcessBuilder("python3", "-c",
                    "from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey")
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
