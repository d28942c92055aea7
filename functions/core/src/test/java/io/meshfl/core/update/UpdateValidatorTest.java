package io.meshfl.core.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsFiles;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateValidatorTest {

    static final ModelManifest MANIFEST = new ModelManifest(List.of(
            TensorSpec.of("fc.weight", Dtype.F32, 2, 2), TensorSpec.of("fc.bias", Dtype.F32, 2)));
    static final DomainKeyPair KEYS = DomainKeyPair.generate();

    @TempDir
    Path dir;
    Path global;

    @BeforeEach
    void writeGlobal() throws IOException {
        global = dir.resolve("global.safetensors");
        new ModelWeights(MANIFEST, List.of(new float[] {1, 2, 3, 4}, new float[] {0, 0})).write(global, Map.of());
    }

    /** A signed update whose weights are global + (3, 0, 0, 0 | 0, 4): its update norm is exactly 5. */
    Path validUpdate() throws IOException {
        Path update = dir.resolve("update.safetensors");
        ModelWeights weights = new ModelWeights(MANIFEST, List.of(new float[] {4, 2, 3, 4}, new float[] {0, 4}));
        new UpdateWriter(KEYS.signer()).write(update, weights,
                unsigned("mlp", "sales", 3, 120, "{\"loss\":0.25}"));
        return update;
    }

    /** Metadata of an update trained from this test's global model. */
    UpdateMetadata unsigned(String model, String domain, long baseRound, long numExamples, String metrics)
            throws IOException {
        return UpdateMetadata.unsigned(model, domain, baseRound, sha256(global), numExamples, metrics);
    }

    static String sha256(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.dataSha256();
        }
    }

    ValidationResult validate(Path update, double maxNorm) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(global)) {
            return new UpdateValidator(reader, UpdatePolicy.withMaxNorm(maxNorm))
                    .validate(update, new UpdateExpectation("mlp", "sales", 3L, KEYS.verifier()));
        }
    }

    String rejection(Path update) throws IOException {
        ValidationResult result = validate(update, 10);
        assertThat(result).isInstanceOf(ValidationResult.Rejected.class);
        return ((ValidationResult.Rejected) result).reason();
    }

    @Test
    void acceptsASignedUpdateWithinTheBoundAndReportsItsNorm() throws IOException {
        ValidationResult result = validate(validUpdate(), 5.0);

        assertThat(result).isInstanceOf(ValidationResult.Accepted.class);
        ValidationResult.Accepted accepted = (ValidationResult.Accepted) result;
        assertThat(accepted.updateNorm()).isEqualTo(5.0);
        assertThat(accepted.metadata().numExamples()).isEqualTo(120);
        assertThat(accepted.metadata().metrics()).isEqualTo("{\"loss\":0.25}");
    }

    @Test
    void rejectsANormAboveTheBoundNamingTheLargestTensor() throws IOException {
        ValidationResult result = validate(validUpdate(), 4.99);

        assertThat(((ValidationResult.Rejected) result).reason())
                .contains("L2 norm of (update − global) is 5.0, above the bound 4.99", "tensor 'fc.bias', 4.0");
    }

    @Test
    void rejectsAnUpdateSignedByAnotherDomainsKey() throws IOException {
        Path update = dir.resolve("forged.safetensors");
        new UpdateWriter(DomainKeyPair.generate().signer()).write(update, ModelWeights.read(validUpdate()),
                unsigned("mlp", "sales", 3, 120, "{}"));

        assertThat(rejection(update)).contains("signature does not verify with the public key of domain 'sales'",
                "signature does not cover this update as it stands");
    }

    @Test
    void rejectsWrongModelDomainOrRound() throws IOException {
        for (var unsigned : List.of(unsigned("other", "sales", 3, 1, "{}"),
                unsigned("mlp", "hr", 3, 1, "{}"), unsigned("mlp", "sales", 2, 1, "{}"))) {
            Path update = dir.resolve("who.safetensors");
            new UpdateWriter(KEYS.signer()).write(update, ModelWeights.read(validUpdate()), unsigned);
            assertThat(rejection(update)).containsAnyOf("model is 'other', expected 'mlp'",
                    "domain is 'hr', expected 'sales'", "base_round is 2, expected 3");
        }
    }

    @Test
    void rejectsMissingOrMalformedMetadataKeys() throws IOException {
        Path update = validUpdate();
        SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
        ((ObjectNode) parts.header().get("__metadata__")).remove("num_examples");
        SafetensorsFiles.join(update, parts.header(), parts.data());
        assertThat(rejection(update)).contains("__metadata__ has no 'num_examples'");

        ((ObjectNode) parts.header().get("__metadata__")).put("num_examples", "many");
        SafetensorsFiles.join(update, parts.header(), parts.data());
        assertThat(rejection(update)).contains("'num_examples' is not an integer: 'many'");

        ((ObjectNode) parts.header().get("__metadata__")).put("num_examples", "5").put("metrics", "[1]");
        SafetensorsFiles.join(update, parts.header(), parts.data());
        assertThat(rejection(update)).contains("metrics must be a JSON object");
    }

    @Test
    void rejectsAlteredDataAsASha256Mismatch() throws IOException {
        Path update = validUpdate();
        SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
        parts.data()[5] ^= 1;
        SafetensorsFiles.join(update, parts.header(), parts.data());

        assertThat(rejection(update)).contains("sha256 of the tensor data is", "(corrupted or altered)");
    }

    @Test
    void rejectsNonFiniteValuesNamingTensorAndElement() throws IOException {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path update = dir.resolve("nan.safetensors");
            new UpdateWriter(KEYS.signer()).write(update,
                    new ModelWeights(MANIFEST, List.of(new float[] {1, 2, 3, 4}, new float[] {0, bad})),
                    unsigned("mlp", "sales", 3, 1, "{}"));
            assertThat(rejection(update)).contains("tensor 'fc.bias' holds " + bad + " at element 1");
        }
    }

    @Test
    void rejectsMissingExtraOrMisshapenTensorsNamingThem() throws IOException {
        record Case(ModelManifest manifest, String reason) {
        }
        List<Case> cases = List.of(
                new Case(new ModelManifest(List.of(MANIFEST.tensors().get(0))), "tensor 'fc.bias' is missing"),
                new Case(new ModelManifest(List.of(MANIFEST.tensors().get(0), MANIFEST.tensors().get(1),
                        TensorSpec.of("extra", Dtype.F32, 1))), "tensor 'extra' is not in the model"),
                new Case(new ModelManifest(List.of(MANIFEST.tensors().get(0), TensorSpec.of("fc.bias", Dtype.F32, 1, 2))),
                        "tensor 'fc.bias' has shape [1, 2], expected [2]"),
                new Case(new ModelManifest(List.of(MANIFEST.tensors().get(0), TensorSpec.of("fc.bias", Dtype.F64, 2))),
                        "tensor 'fc.bias' has dtype F64, expected F32"));
        for (Case c : cases) {
            Path update = dir.resolve("shape.safetensors");
            List<float[]> values = c.manifest().tensors().stream()
                    .map(t -> new float[(int) t.elementCount()]).toList();
            new UpdateWriter(KEYS.signer()).write(update, new ModelWeights(c.manifest(), values),
                    unsigned("mlp", "sales", 3, 1, "{}"));
            assertThat(rejection(update)).contains(c.reason());
        }
    }

    @Test
    void rejectsAHeaderAboveTheConfiguredLimit() throws IOException {
        Path update = validUpdate();
        try (SafetensorsReader reader = SafetensorsReader.open(global)) {
            ValidationResult result = new UpdateValidator(reader, new UpdatePolicy(10, 64))
                    .validate(update, UpdateExpectation.anySender());
            assertThat(((ValidationResult.Rejected) result).reason()).contains("exceeds the limit of 64 bytes");
        }
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        Path update = validUpdate();
        byte[] bytes = Files.readAllBytes(update);
        Files.write(update, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThat(rejection(update)).contains("past the end of the data section");
    }

    @Test
    void integerCounterTensorsAreCheckedForShapeButNotForValues() throws IOException {
        // Prepare: a PyTorch-style model with an I64 counter beside its weights
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("bn.weight", Dtype.F32, 2),
                TensorSpec.of("bn.num_batches_tracked", Dtype.I64)));
        Path counterGlobal = dir.resolve("counter-global.safetensors");
        Path update = dir.resolve("counter-update.safetensors");
        for (Path file : List.of(counterGlobal, update)) {
            UpdateMetadata metadata = UpdateMetadata.unsigned("mlp", "sales", 3,
                    file == update ? sha256(counterGlobal) : "0".repeat(64), 5, "{}");
            try (var writer = io.meshfl.core.safetensors.SafetensorsWriter.create(file, manifest.tensors(),
                    metadata.signed("0".repeat(64), "A".repeat(88)).toMap())) {
                writer.writeFloats("bn.weight", new float[] {1f, file == update ? 4f : 1f});
                writer.writeLongs("bn.num_batches_tracked", new long[] {file == update ? 12 : 7});
                writer.finish(sha -> metadata.signed(sha, KEYS.signer().sign(
                        SigningPayload.of(metadata.signed(sha, null).toMap(), writer.layout()))).toMap());
            }
        }

        // Execute
        ValidationResult result;
        try (SafetensorsReader reader = SafetensorsReader.open(counterGlobal)) {
            result = new UpdateValidator(reader, UpdatePolicy.withMaxNorm(10))
                    .validate(update, new UpdateExpectation("mlp", "sales", 3L, KEYS.verifier()));
        }

        // Assert: the norm covers the weights only, |4 − 1| = 3
        assertThat(result).isInstanceOf(ValidationResult.Accepted.class);
        assertThat(((ValidationResult.Accepted) result).updateNorm()).isEqualTo(3.0);
    }

    @Test
    void f64ValuesBeyondFloatsRangeAreJudgedAtDoublePrecision() throws IOException {
        // Prepare: both hold 1e300 (Infinity if read as float); they differ by 2^-30 where float sees 1 and 1
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("w", Dtype.F64, 2)));
        Path f64Global = dir.resolve("f64-global.safetensors");
        Path update = dir.resolve("f64-update.safetensors");
        double moved = 1 + 0x1p-30;
        for (Path file : List.of(f64Global, update)) {
            UpdateMetadata metadata = UpdateMetadata.unsigned("mlp", "sales", 3,
                    file == update ? sha256(f64Global) : "0".repeat(64), 5, "{}");
            try (var writer = io.meshfl.core.safetensors.SafetensorsWriter.create(file, manifest.tensors(),
                    metadata.signed("0".repeat(64), "A".repeat(88)).toMap())) {
                writer.writeDoubles("w", 0, new double[] {1e300, file == update ? moved : 1}, 0, 2);
                writer.finish(sha -> metadata.signed(sha, KEYS.signer().sign(
                        SigningPayload.of(metadata.signed(sha, null).toMap(), writer.layout()))).toMap());
            }
        }

        // Execute
        ValidationResult result;
        try (SafetensorsReader reader = SafetensorsReader.open(f64Global)) {
            result = new UpdateValidator(reader, UpdatePolicy.withMaxNorm(1))
                    .validate(update, new UpdateExpectation("mlp", "sales", 3L, KEYS.verifier()));
        }

        // Assert: accepted, with the norm of the double difference
        assertThat(result).isInstanceOf(ValidationResult.Accepted.class);
        assertThat(((ValidationResult.Accepted) result).updateNorm()).isEqualTo(0x1p-30);
    }
}
