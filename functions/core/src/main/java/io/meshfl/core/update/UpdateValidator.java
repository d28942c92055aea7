package io.meshfl.core.update;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether an update file may be counted in a round. Checks, in this order, stopping at the first
 * failure: the file is valid safetensors within the header limit; its metadata is complete and of the current
 * signature scheme; it comes from the expected model, domain and base round; the signature verifies over the
 * {@link SigningPayload} (every metadata entry and the tensor layout); {@code num_examples} is within the
 * expectation's cap; it has exactly the manifest's tensors with the same dtypes and shapes; its data hashes to the
 * declared {@code sha256}; it was trained from the round's global model ({@code base_model_sha256}); every value
 * is finite; and the L2 norm of (update − global) is within the policy's bound. Bad bytes yield a {@link ValidationResult.Rejected}, never an
 * exception; only an unreadable file (I/O failure) throws.
 *
 * <p>Not thread-safe: it reads the global model through one reader.
 */
public final class UpdateValidator {

    private static final int CHUNK = 1 << 16;

    private final ModelManifest manifest;
    private final SafetensorsReader global;
    private final UpdatePolicy policy;
    private final float[] updateChunk = new float[CHUNK];
    private final float[] globalChunk = new float[CHUNK];
    // Values are checked as doubles so that F64 tensors are judged at their own precision: read as float, an F64
    // 1e300 would become Infinity and be refused.
    private final double[] updateValues = new double[CHUNK];
    private final double[] globalValues = new double[CHUNK];
    private String globalSha256;

    /**
     * @param global the round's global model (its manifest is the one updates must match); the caller closes it
     */
    public UpdateValidator(SafetensorsReader global, UpdatePolicy policy) {
        this(global.manifest(), global, policy);
    }

    /** Without a global model: no norm bound can be checked, so {@code policy} must be unbounded. */
    public UpdateValidator(ModelManifest manifest, UpdatePolicy policy) {
        this(manifest, null, policy);
        if (policy.maxUpdateNorm() != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a norm bound needs the global model to compare against");
        }
    }

    private UpdateValidator(ModelManifest manifest, SafetensorsReader global, UpdatePolicy policy) {
        this.manifest = Objects.requireNonNull(manifest);
        this.global = global;
        this.policy = Objects.requireNonNull(policy);
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** @throws IOException only if the file cannot be read at all (missing, permissions, disk failure) */
    public ValidationResult validate(Path update, UpdateExpectation expected) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(update, policy.maxHeaderBytes())) {
            return validate(reader, expected);
        } catch (SafetensorsFormatException e) {
            return new ValidationResult.Rejected(e.getMessage());
        }
    }

    private ValidationResult validate(SafetensorsReader update, UpdateExpectation expected) throws IOException {
        Map<String, String> map = update.metadata();
        if (expected.allowPlainFiles() && !UpdateMetadata.isPresentIn(map)) {
            return validatePlain(update, expected);
        }
        UpdateMetadata metadata;
        try {
            metadata = UpdateMetadata.fromMap(map);
        } catch (IllegalArgumentException e) {
            return reject(update, "metadata: " + e.getMessage());
        }
        // Identity first: a genuine update at the wrong key is best named as such. An edit that makes the identity
        // match (a relabelled update) is then caught by the signature, before any edited field is used.
        String identity = identityMismatch(metadata, expected);
        if (identity != null) {
            return reject(update, identity);
        }
        if (expected.verifier() != null && !expected.verifier().verify(
                SigningPayload.of(map, update.header().tensors()), metadata.signature())) {
            String domain = expected.domain() != null ? expected.domain() : metadata.domain();
            return reject(update, "signature does not verify with the public key of domain '" + domain
                    + "': the signature does not cover this update as it stands (" + SigningPayload.SCHEME
                    + " covers every __metadata__ entry and the tensor layout) — a signed field was edited after "
                    + "signing, or another key signed it");
        }
        String examples = examplesAboveCap(metadata.numExamples(), expected);
        if (examples != null) {
            return reject(update, examples);
        }
        String structure = structureMismatch(update);
        if (structure != null) {
            return reject(update, structure);
        }
        String actualSha256 = update.dataSha256();
        if (!actualSha256.equals(metadata.sha256())) {
            return reject(update, "sha256 of the tensor data is " + actualSha256 + " but __metadata__ declares "
                    + metadata.sha256() + " (corrupted or altered)");
        }
        String base = baseModelMismatch(metadata, expected);
        if (base != null) {
            return reject(update, base);
        }
        return checkValues(update, metadata, metadata.numExamples());
    }

    /** A plain weights file: only {@code num_examples}, no identity, hash or signature to check. */
    private ValidationResult validatePlain(SafetensorsReader update, UpdateExpectation expected) throws IOException {
        long numExamples;
        try {
            numExamples = UpdateMetadata.plainNumExamples(update.metadata());
        } catch (IllegalArgumentException e) {
            return reject(update, "metadata: " + e.getMessage());
        }
        String examples = examplesAboveCap(numExamples, expected);
        if (examples != null) {
            return reject(update, examples);
        }
        String structure = structureMismatch(update);
        if (structure != null) {
            return reject(update, structure);
        }
        return checkValues(update, null, numExamples);
    }

    private static String identityMismatch(UpdateMetadata metadata, UpdateExpectation expected) {
        if (expected.model() != null && !expected.model().equals(metadata.model())) {
            return "metadata: model is '" + metadata.model() + "', expected '" + expected.model() + "'";
        }
        if (expected.domain() != null && !expected.domain().equals(metadata.domain())) {
            return "metadata: domain is '" + metadata.domain() + "', expected '" + expected.domain() + "'";
        }
        if (expected.baseRound() != null && expected.baseRound() != metadata.baseRound()) {
            return "metadata: base_round is " + metadata.baseRound() + ", expected " + expected.baseRound();
        }
        return null;
    }

    private static String examplesAboveCap(long numExamples, UpdateExpectation expected) {
        if (expected.maxExamples() != null && numExamples > expected.maxExamples()) {
            return "metadata: num_examples is " + numExamples + ", above the cap of " + expected.maxExamples()
                    + " examples for this update";
        }
        return null;
    }

    private String baseModelMismatch(UpdateMetadata metadata, UpdateExpectation expected) throws IOException {
        String base = expected.baseModelSha256() != null ? expected.baseModelSha256() : globalSha256();
        if (base != null && !base.equals(metadata.baseModelSha256())) {
            return "metadata: base_model_sha256 is " + metadata.baseModelSha256() + " but the round's global model's is "
                    + base + " (trained from another model)";
        }
        return null;
    }

    /** The global model's data hash, computed once per validator (a validator serves one round). */
    private String globalSha256() throws IOException {
        if (global != null && globalSha256 == null) {
            globalSha256 = global.dataSha256();
        }
        return globalSha256;
    }

    private String structureMismatch(SafetensorsReader update) {
        Set<String> present = new HashSet<>();
        for (TensorInfo tensor : update.header().tensors()) {
            present.add(tensor.name());
            if (manifest.tensor(tensor.name()).isEmpty()) {
                return "tensor '" + tensor.name() + "' is not in the model";
            }
        }
        for (TensorSpec expected : manifest.tensors()) {
            if (!present.contains(expected.name())) {
                return "tensor '" + expected.name() + "' is missing";
            }
            TensorSpec actual = update.tensor(expected.name()).spec();
            if (actual.dtype() != expected.dtype()) {
                return "tensor '" + expected.name() + "' has dtype " + actual.dtype() + ", expected " + expected.dtype();
            }
            if (!actual.shape().equals(expected.shape())) {
                return "tensor '" + expected.name() + "' has shape " + actual.shape() + ", expected " + expected.shape();
            }
        }
        return null;
    }

    private ValidationResult checkValues(SafetensorsReader update, UpdateMetadata metadata, long numExamples)
            throws IOException {
        double sumOfSquares = 0;
        double largestShare = -1;
        String largestTensor = null;
        for (TensorSpec tensor : manifest.tensors()) {
            if (!tensor.dtype().isFloatingPoint()) {
                // Integer counters (e.g. num_batches_tracked) hold no NaN and are no weights to bound: aggregation
                // takes their maximum over the updates (IntegerTensors), which any I64 value admits.
                continue;
            }
            double tensorSquares = 0;
            long count = tensor.elementCount();
            for (long from = 0; from < count; from += CHUNK) {
                int length = (int) Math.min(CHUNK, count - from);
                read(update, tensor, from, updateChunk, updateValues, length);
                if (global != null) {
                    read(global, tensor, from, globalChunk, globalValues, length);
                }
                for (int i = 0; i < length; i++) {
                    double value = updateValues[i];
                    if (!Double.isFinite(value)) {
                        return reject(update, "tensor '" + tensor.name() + "' holds " + value + " at element " + (from + i));
                    }
                    if (global != null) {
                        double difference = value - globalValues[i];
                        tensorSquares += difference * difference;
                    }
                }
            }
            sumOfSquares += tensorSquares;
            if (tensorSquares > largestShare) {
                largestShare = tensorSquares;
                largestTensor = tensor.name();
            }
        }
        if (global == null) {
            return new ValidationResult.Accepted(metadata, numExamples, Double.NaN);
        }
        double norm = Math.sqrt(sumOfSquares);
        if (norm > policy.maxUpdateNorm()) {
            return reject(update, "L2 norm of (update − global) is " + norm + ", above the bound "
                    + policy.maxUpdateNorm() + " (largest part: tensor '" + largestTensor + "', "
                    + Math.sqrt(largestShare) + ")");
        }
        return new ValidationResult.Accepted(metadata, numExamples, norm);
    }

    /** Elements {@code [from, from + length)} of {@code tensor} as doubles: F64 exactly, others widened. */
    private static void read(SafetensorsReader file, TensorSpec tensor, long from, float[] floats, double[] values,
                             int length) throws IOException {
        if (tensor.dtype() == Dtype.F64) {
            file.readDoubles(tensor.name(), from, values, 0, length);
            return;
        }
        file.readFloats(tensor.name(), from, floats, 0, length);
        for (int i = 0; i < length; i++) {
            values[i] = floats[i];
        }
    }

    private static ValidationResult reject(SafetensorsReader update, String reason) {
        return new ValidationResult.Rejected(update.source() + ": " + reason);
    }
}
