package io.meshfl.core.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsFiles;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The signature covers every field anyone trusts: any edit after signing is refused as such. */
class UpdateSignatureTest {

    /** Two tensors of the same size, so that swapping their offsets keeps the data hash and changes the model. */
    static final ModelManifest MANIFEST = new ModelManifest(List.of(
            TensorSpec.of("fc.weight", Dtype.F32, 2), TensorSpec.of("fc.bias", Dtype.F32, 2)));
    static final DomainKeyPair SALES = DomainKeyPair.generate();
    static final DomainKeyPair HR = DomainKeyPair.generate();

    @TempDir
    Path dir;
    Path global;
    String globalSha256;

    @BeforeEach
    void writeGlobal() throws IOException {
        global = dir.resolve("global.safetensors");
        new ModelWeights(MANIFEST, List.of(new float[] {1, 2}, new float[] {3, 4})).write(global, Map.of());
        try (SafetensorsReader reader = SafetensorsReader.open(global)) {
            globalSha256 = reader.dataSha256();
        }
    }

    Path signedUpdate(DomainKeyPair keys, String domain, long numExamples) throws IOException {
        Path update = dir.resolve(domain + "-" + numExamples + ".safetensors");
        new UpdateWriter(keys.signer()).write(update,
                new ModelWeights(MANIFEST, List.of(new float[] {1.5f, 2}, new float[] {3, 4.5f})),
                UpdateMetadata.unsigned("mlp", domain, 3, globalSha256, numExamples, "{\"loss\":0.25}"));
        return update;
    }

    ValidationResult validate(Path update, UpdateExpectation expected) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(global)) {
            return new UpdateValidator(reader, UpdatePolicy.withMaxNorm(10)).validate(update, expected);
        }
    }

    ValidationResult validateAsSales(Path update) throws IOException {
        return validate(update, new UpdateExpectation("mlp", "sales", 3L, SALES.verifier()));
    }

    static String reason(ValidationResult result) {
        assertThat(result).isInstanceOf(ValidationResult.Rejected.class);
        return ((ValidationResult.Rejected) result).reason();
    }

    void editHeader(Path update, Consumer<ObjectNode> edit) throws IOException {
        SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
        edit.accept(parts.header());
        SafetensorsFiles.join(update, parts.header(), parts.data());
    }

    static ObjectNode metadata(ObjectNode header) {
        return (ObjectNode) header.get("__metadata__");
    }

    @Test
    void acceptsTheUntouchedUpdate() throws IOException {
        assertThat(validateAsSales(signedUpdate(SALES, "sales", 120)).accepted()).isTrue();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "num_examples      | 999999999",
            "metrics           | {\"loss\":0.01}",
            "base_round        | 3",
            "model             | mlp",
            "base_model_sha256 | 0000000000000000000000000000000000000000000000000000000000000000",
            "format            | pt"})
    void anyMetadataEditAfterSigningIsRefusedAsNotCoveredBySignature(String key, String value) throws IOException {
        // Prepare: a signed update; then one metadata entry changed (or added), the identity still as expected
        Path update = signedUpdate(SALES, "sales", 120);
        editHeader(update, header -> {
            String old = metadata(header).path(key).asText(null);
            // an unchanged value would be no edit: append a character that keeps the value well-formed
            metadata(header).put(key, value.equals(old) ? (key.equals("base_round") ? "4" : value + "x") : value);
        });
        if (key.equals("model")) {
            // the expectation follows the edit, so only the signature can catch it
            assertThat(reason(validate(update, new UpdateExpectation("mlpx", "sales", 3L, SALES.verifier()))))
                    .contains("signature does not cover this update as it stands");
            return;
        }
        if (key.equals("base_round")) {
            assertThat(reason(validate(update, new UpdateExpectation("mlp", "sales", 4L, SALES.verifier()))))
                    .contains("signature does not cover this update as it stands");
            return;
        }

        assertThat(reason(validateAsSales(update))).contains("signature does not cover this update as it stands");
    }

    @Test
    void anotherDomainsGenuineUpdateRelabelledAsOursIsRefused() throws IOException {
        // Prepare: the attack from issue 14 — HR's genuine update, relabelled as sales' with a huge count
        Path update = signedUpdate(HR, "hr", 120);
        editHeader(update, header -> metadata(header).put("domain", "sales").put("num_examples", "999999999"));

        String reason = reason(validateAsSales(update));

        assertThat(reason).contains("signature does not verify with the public key of domain 'sales'",
                "does not cover");
    }

    @Test
    void swappingTwoTensorsOfTheSameSizeKeepsTheDataHashButBreaksTheSignature() throws IOException {
        Path update = signedUpdate(SALES, "sales", 120);
        editHeader(update, header -> {
            ArrayNode weight = (ArrayNode) header.get("fc.weight").get("data_offsets");
            ArrayNode bias = (ArrayNode) header.get("fc.bias").get("data_offsets");
            ArrayNode swapped = weight.deepCopy();
            weight.removeAll().addAll(bias.deepCopy());
            bias.removeAll().addAll(swapped);
        });

        assertThat(reason(validateAsSales(update))).contains("signature does not cover this update as it stands");
    }

    @Test
    void anUpdateSignedUnderTheOldSchemeIsRefusedNamingWhatItsSignatureLeavesOut() throws IOException {
        Path update = signedUpdate(SALES, "sales", 120);
        editHeader(update, header -> metadata(header).remove("signature_scheme"));

        assertThat(reason(validateAsSales(update))).contains("meshfl-update-v1",
                "does not cover model, domain, base_round, num_examples or metrics", "no longer accepted");
    }

    @Test
    void anUnknownSchemeIsRefusedByName() throws IOException {
        Path update = signedUpdate(SALES, "sales", 120);
        editHeader(update, header -> metadata(header).put("signature_scheme", "meshfl-update-v3"));

        assertThat(reason(validateAsSales(update)))
                .contains("unknown signature_scheme 'meshfl-update-v3'", "verifies meshfl-update-v2 only");
    }

    @Test
    void aClaimAboveTheExpectationsCapIsRefusedWithTheCap() throws IOException {
        UpdateExpectation capped = new UpdateExpectation("mlp", "sales", 3L, SALES.verifier()).withMaxExamples(500);

        assertThat(validate(signedUpdate(SALES, "sales", 500), capped).accepted()).isTrue();
        assertThat(reason(validate(signedUpdate(SALES, "sales", 501), capped)))
                .contains("num_examples is 501, above the cap of 500 examples");
    }

    @ParameterizedTest
    @CsvSource({"0, must be positive", "-5, must be positive", "+5, is not an integer", "05, is not an integer",
            "9223372036854775808, is not an integer"})
    void nonPositiveOrNonCanonicalCountsAreRefused(String count, String reason) throws IOException {
        Path update = signedUpdate(SALES, "sales", 120);
        editHeader(update, header -> metadata(header).put("num_examples", count));

        assertThat(reason(validateAsSales(update))).contains(reason);
    }

    @Test
    void anUpdateTrainedFromAnotherGlobalModelIsRefused() throws IOException {
        Path update = dir.resolve("stale.safetensors");
        new UpdateWriter(SALES.signer()).write(update,
                new ModelWeights(MANIFEST, List.of(new float[] {1.5f, 2}, new float[] {3, 4.5f})),
                UpdateMetadata.unsigned("mlp", "sales", 3, "ab".repeat(32), 120, "{}"));

        assertThat(reason(validateAsSales(update))).contains("base_model_sha256 is " + "ab".repeat(32),
                "the round's global model's is " + globalSha256, "trained from another model");
        // the registry's recorded checksum, when given, is what counts
        assertThat(validate(update, new UpdateExpectation("mlp", "sales", 3L, SALES.verifier())
                .withBaseModelSha256("ab".repeat(32))).accepted()).isTrue();
    }
}
