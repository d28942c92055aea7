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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Every mutation of a valid update that the format or MeshFL's policy forbids is rejected, never thrown. */
class UpdateValidatorProperties {

    private static final ModelManifest MANIFEST = new ModelManifest(List.of(TensorSpec.of("a.weight", Dtype.F32, 3, 4),
            TensorSpec.of("a.bias", Dtype.F32, 4), TensorSpec.of("b.weight", Dtype.F32, 4, 2)));
    private static final DomainKeyPair KEYS = DomainKeyPair.generate();
    private static final double MAX_NORM = 1.0;
    private static final long MAX_EXAMPLES = 1000;
    private static Path dir;
    private static Path global;
    private static String globalSha256;

    enum Mutation {
        DROP_TENSOR, ADD_TENSOR, CHANGE_DTYPE, CHANGE_SHAPE, NON_FINITE_VALUE, NORM_ABOVE_BOUND, TRUNCATE_FILE,
        CUT_HEADER_JSON, HEADER_LENGTH_PAST_END, HEADER_LENGTH_ABOVE_LIMIT, OVERLAPPING_OFFSETS,
        OFFSETS_OUT_OF_RANGE, FLIP_DATA_BIT, TAMPER_SIGNATURE, GARBAGE_BYTES, EDIT_SIGNED_FIELD, ADD_METADATA_ENTRY,
        INFLATE_EXAMPLES
    }

    @BeforeContainer
    static void writeGlobal() throws IOException {
        dir = Files.createTempDirectory("validator-properties");
        global = dir.resolve("global.safetensors");
        weights(0f).write(global, Map.of());
        try (SafetensorsReader reader = SafetensorsReader.open(global)) {
            globalSha256 = reader.dataSha256();
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 300)
    void validatorRejectsEveryForbiddenMutation(@ForAll Mutation mutation,
                                                @ForAll @IntRange(min = 0, max = 1 << 20) int first,
                                                @ForAll @IntRange(min = 0, max = 1 << 20) int second) throws IOException {
        Path update = dir.resolve("update.safetensors");
        // Prepare: a valid update (norm 0.5 ≤ bound 1) that is then broken one way
        writeUpdate(update, weights(0.01f));
        assertThat(validate(update)).isInstanceOf(ValidationResult.Accepted.class);
        mutate(update, mutation, first, second);

        ValidationResult result = validate(update);

        assertThat(result).as(mutation.name()).isInstanceOf(ValidationResult.Rejected.class);
        assertThat(((ValidationResult.Rejected) result).reason()).isNotBlank();
    }

    private static ValidationResult validate(Path update) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(global)) {
            return new UpdateValidator(reader, new UpdatePolicy(MAX_NORM, 4096))
                    .validate(update, new UpdateExpectation("m", "d", 1L, KEYS.verifier()).withMaxExamples(MAX_EXAMPLES));
        }
    }

    private static void mutate(Path update, Mutation mutation, int first, int second) throws IOException {
        int tensor = first % MANIFEST.tensors().size();
        switch (mutation) {
            case DROP_TENSOR -> writeUpdate(update, resized(MANIFEST.tensors().stream()
                    .filter(t -> !t.equals(MANIFEST.tensors().get(tensor))).toList()));
            case ADD_TENSOR -> {
                List<TensorSpec> tensors = new ArrayList<>(MANIFEST.tensors());
                tensors.add(second % (tensors.size() + 1), TensorSpec.of("extra" + first, Dtype.F32, 1 + second % 5));
                writeUpdate(update, resized(tensors));
            }
            case CHANGE_DTYPE -> writeUpdate(update, resized(replace(tensor, spec -> new TensorSpec(spec.name(),
                    List.of(Dtype.F16, Dtype.BF16, Dtype.F64).get(second % 3), spec.shape()))));
            case CHANGE_SHAPE -> writeUpdate(update, resized(replace(tensor, spec -> {
                List<Long> shape = new ArrayList<>(spec.shape());
                if (second % 2 == 0) {
                    shape.set(0, shape.get(0) + 1 + second % 3);
                } else {
                    shape.add(0, 1L); // same element count, different shape
                }
                return new TensorSpec(spec.name(), spec.dtype(), shape);
            })));
            case NON_FINITE_VALUE -> {
                ModelWeights weights = weights(0.01f);
                float[] values = weights.values().get(tensor);
                values[second % values.length] = List.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY).get(first % 3);
                writeUpdate(update, weights);
            }
            case NORM_ABOVE_BOUND -> {
                ModelWeights weights = weights(0.01f);
                float[] values = weights.values().get(tensor);
                values[second % values.length] += 1.0f + (first % 1000) / 10f;
                writeUpdate(update, weights);
            }
            case TRUNCATE_FILE -> {
                byte[] bytes = Files.readAllBytes(update);
                Files.write(update, Arrays.copyOf(bytes, first % bytes.length));
            }
            case CUT_HEADER_JSON -> {
                SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
                String json = parts.header().toString();
                SafetensorsFiles.join(update, json.substring(0, first % json.length()), parts.data());
            }
            case HEADER_LENGTH_PAST_END -> SafetensorsFiles.setDeclaredHeaderLength(update, Files.size(update) - 7 + first % 4000);
            case HEADER_LENGTH_ABOVE_LIMIT -> SafetensorsFiles.setDeclaredHeaderLength(update,
                    4097 + (long) first * second);
            case OVERLAPPING_OFFSETS -> editOffsets(update, tensor, 0, -(4 + 4 * (second % 3)));
            case OFFSETS_OUT_OF_RANGE -> editOffsets(update, MANIFEST.tensors().size() - 1, 0, 4 * (1 + second % 7));
            case FLIP_DATA_BIT -> {
                SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
                parts.data()[first % parts.data().length] ^= (byte) (1 << (second % 8));
                SafetensorsFiles.join(update, parts.header(), parts.data());
            }
            case TAMPER_SIGNATURE -> {
                SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
                ObjectNode metadata = (ObjectNode) parts.header().get("__metadata__");
                char[] signature = metadata.get("signature").textValue().toCharArray();
                int at = first % 85; // the last 3 characters carry padding bits that decoding ignores
                signature[at] = signature[at] == 'B' ? 'C' : 'B';
                metadata.put("signature", new String(signature));
                SafetensorsFiles.join(update, parts.header(), parts.data());
            }
            case EDIT_SIGNED_FIELD -> {
                // a well-formed new value for one signed entry: only the signature can tell
                SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
                ObjectNode metadata = (ObjectNode) parts.header().get("__metadata__");
                switch (second % 4) {
                    case 0 -> metadata.put("num_examples", Long.toString(11 + first));
                    case 1 -> metadata.put("metrics", "{\"loss\":" + first + "}");
                    case 2 -> metadata.put("base_model_sha256", String.format("%064x", first));
                    default -> metadata.put("sha256", String.format("%064x", first));
                }
                SafetensorsFiles.join(update, parts.header(), parts.data());
            }
            case ADD_METADATA_ENTRY -> {
                SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
                ((ObjectNode) parts.header().get("__metadata__")).put("note" + second, Integer.toString(first));
                SafetensorsFiles.join(update, parts.header(), parts.data());
            }
            case INFLATE_EXAMPLES -> {
                // signed honestly, but above the cap the expectation sets
                new UpdateWriter(KEYS.signer()).write(update, weights(0.01f),
                        UpdateMetadata.unsigned("m", "d", 1, globalSha256, MAX_EXAMPLES + 1 + first, "{}"));
            }
            case GARBAGE_BYTES -> {
                byte[] garbage = new byte[8 + first % 200];
                new java.util.Random(second).nextBytes(garbage);
                Files.write(update, garbage);
            }
        }
    }

    /** Moves the named tensor's offsets so that it overlaps its predecessor or runs past the data section. */
    private static void editOffsets(Path update, int index, long beginShift, long endShift) throws IOException {
        SafetensorsFiles.Parts parts = SafetensorsFiles.split(update);
        String name = MANIFEST.tensors().get(index).name();
        ArrayNode offsets = (ArrayNode) parts.header().get(name).get("data_offsets");
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (endShift < 0 && begin == 0) { // the first tensor cannot overlap a predecessor: make the next one overlap it
            name = MANIFEST.tensors().get(index + 1).name();
            offsets = (ArrayNode) parts.header().get(name).get("data_offsets");
            begin = offsets.get(0).asLong();
            end = offsets.get(1).asLong();
        }
        long shift = endShift < 0 ? endShift : 0;
        offsets.removeAll().add(begin + shift).add(end + (endShift < 0 ? shift : endShift));
        ((ObjectNode) parts.header().get(name)).set("shape", parts.header().get(name).get("shape"));
        if (endShift > 0) { // keep byte size consistent with the shape so only the range is wrong
            ArrayNode shape = (ArrayNode) parts.header().get(name).get("shape");
            long elements = (end + endShift - begin) / 4;
            shape.removeAll().add(elements);
        }
        SafetensorsFiles.join(update, parts.header(), parts.data());
    }

    private static List<TensorSpec> replace(int index, java.util.function.UnaryOperator<TensorSpec> change) {
        List<TensorSpec> tensors = new ArrayList<>(MANIFEST.tensors());
        tensors.set(index, change.apply(tensors.get(index)));
        return tensors;
    }

    private static ModelWeights resized(List<TensorSpec> tensors) {
        ModelManifest manifest = new ModelManifest(tensors);
        return new ModelWeights(manifest, tensors.stream().map(t -> new float[(int) t.elementCount()]).toList());
    }

    /** Every value {@code step * (i + 1)} (global: all zeros); with step 0.01 the norm is well below 1. */
    private static ModelWeights weights(float step) {
        List<float[]> values = new ArrayList<>();
        int i = 0;
        for (TensorSpec tensor : MANIFEST.tensors()) {
            float[] array = new float[(int) tensor.elementCount()];
            for (int j = 0; j < array.length; j++) {
                array[j] = step * (++i % 7);
            }
            values.add(array);
        }
        return new ModelWeights(MANIFEST, values);
    }

    private static void writeUpdate(Path update, ModelWeights weights) throws IOException {
        new UpdateWriter(KEYS.signer()).write(update, weights, UpdateMetadata.unsigned("m", "d", 1, globalSha256, 10, "{}"));
    }
}
