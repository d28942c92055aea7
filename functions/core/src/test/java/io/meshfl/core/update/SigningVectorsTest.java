package io.meshfl.core.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.SafetensorsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed signing vectors are current, and the Java verifier accepts them. */
class SigningVectorsTest {

    @TempDir
    Path dir;

    @Test
    void theCommittedVectorsAreWhatTheGeneratorWrites() throws IOException {
        SigningVectors.main(new String[] {dir.toString()});

        for (String file : List.of(SigningVectors.KEY, SigningVectors.PUBLIC_KEY, SigningVectors.UPDATE,
                SigningVectors.PAYLOAD, SigningVectors.SIGNATURE)) {
            assertThat(SigningVectors.DIRECTORY.resolve(file)).as(file)
                    .hasBinaryContent(Files.readAllBytes(dir.resolve(file)));
        }
    }

    @Test
    void theVectorUpdateVerifiesAndItsPayloadIsTheCommittedOne() throws IOException {
        Path update = SigningVectors.DIRECTORY.resolve(SigningVectors.UPDATE);
        SignatureVerifier verifier = SignatureVerifier.fromX509Base64(
                Files.readString(SigningVectors.DIRECTORY.resolve(SigningVectors.PUBLIC_KEY)));

        try (SafetensorsReader reader = SafetensorsReader.open(update)) {
            byte[] payload = SigningPayload.of(reader.metadata(), reader.header().tensors());
            assertThat(HexFormat.of().formatHex(payload)).isEqualTo(read(SigningVectors.PAYLOAD));
            assertThat(reader.metadata().get("signature")).isEqualTo(read(SigningVectors.SIGNATURE));
            assertThat(verifier.verify(payload, read(SigningVectors.SIGNATURE))).isTrue();
        }
        ValidationResult result = new UpdateValidator(manifest(update),
                UpdatePolicy.unbounded()).validate(update, new UpdateExpectation("churn-mlp", "domaine-α", 3L, verifier)
                .withBaseModelSha256("9f".repeat(32)).withMaxExamples(1200));
        assertThat(result.accepted()).as(result.toString()).isTrue();
    }

    @Test
    void thePayloadStartsWithTheSchemeAndCountsAsDocumented() throws IOException {
        // str("meshfl-update-v2") = 00000010 + the 16 ASCII bytes; then u32(8 metadata entries)
        String hex = read(SigningVectors.PAYLOAD);

        assertThat(hex).startsWith("00000010" + HexFormat.of().formatHex("meshfl-update-v2".getBytes(StandardCharsets.UTF_8))
                + "00000008");
    }

    private static String read(String file) throws IOException {
        return Files.readString(SigningVectors.DIRECTORY.resolve(file), StandardCharsets.US_ASCII).strip();
    }

    private static io.meshfl.core.safetensors.ModelManifest manifest(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.manifest();
        }
    }
}
