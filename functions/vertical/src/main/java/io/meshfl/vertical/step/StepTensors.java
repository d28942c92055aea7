package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.SigningPayload;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.split.BatchTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings and embedding gradients as signed safetensors objects, "signed like updates": the writer's Ed25519
 * signature over core's {@link SigningPayload} (every {@code __metadata__} entry, the data's SHA-256 among them, and
 * the tensor layout). A reader checks the signature with the key of the party that must have written the object and
 * every header field against what it expects before it uses a single value.
 */
public final class StepTensors {

    private static final String SHA256 = "sha256";
    private static final String SIGNATURE = "signature";
    private static final String SHA256_PLACEHOLDER = "0".repeat(64);
    private static final String SIGNATURE_PLACEHOLDER = "A".repeat(88);

    private StepTensors() {
    }

    /** Signs and stores {@code tensor} under {@code key} unless an object is there; true if this call stored it. */
    public static boolean writeOnce(ObjectStore store, String key, BatchTensor tensor, StepHeader header,
            UpdateSigner signer) {
        Path file = WriteOnce.tempFile();
        Map<String, String> placeholder = new LinkedHashMap<>(header.toMap());
        placeholder.put(SHA256, SHA256_PLACEHOLDER);
        placeholder.put(SIGNATURE, SIGNATURE_PLACEHOLDER);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                List.of(TensorSpec.of(tensor.name(), Dtype.F32, tensor.rows(), tensor.width())), placeholder)) {
            writer.writeFloats(tensor.name(), tensor.values());
            writer.finish(sha256 -> {
                Map<String, String> signed = new LinkedHashMap<>(header.toMap());
                signed.put(SHA256, sha256);
                signed.put(SIGNATURE, signer.sign(SigningPayload.of(signed, writer.layout())));
                return signed;
            });
        } catch (IOException e) {
            WriteOnce.deleteQuietly(file);
            throw new UncheckedIOException("Could not write '" + key + "'", e);
        }
        return WriteOnce.put(store, key, file);
    }

    /**
     * Reads the object under {@code key}, which must carry exactly {@code expected} and a valid signature by
     * {@code writer}.
     *
     * @throws StepRejectedException naming the key and what was wrong
     */
    public static BatchTensor read(ObjectStore store, String key, StepHeader expected, SignatureVerifier writer) {
        Path file = WriteOnce.download(store, key);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            Map<String, String> metadata = reader.metadata();
            String signature = metadata.get(SIGNATURE);
            if (signature == null || !writer.verify(SigningPayload.of(metadata, reader.header().tensors()), signature)) {
                throw new StepRejectedException(key, "its signature is not " + expected.party() + "'s");
            }
            if (!reader.dataSha256().equals(metadata.get(SHA256))) {
                throw new StepRejectedException(key, "its data does not match its signed sha256");
            }
            for (Map.Entry<String, String> field : expected.toMap().entrySet()) {
                if (!field.getValue().equals(metadata.get(field.getKey()))) {
                    throw new StepRejectedException(key, "its " + field.getKey() + " is '" + metadata.get(field.getKey())
                            + "', expected '" + field.getValue() + "'");
                }
            }
            return BatchTensor.read(file, expected.kind());
        } catch (IOException | RuntimeException e) {
            if (e instanceof StepRejectedException rejected) {
                throw rejected;
            }
            throw new StepRejectedException(key, "it is not a readable step tensor: " + e.getMessage());
        } finally {
            WriteOnce.deleteQuietly(file);
        }
    }

    /** A step object that must not be used: forged, altered, or for another window, round, party or batch. */
    public static final class StepRejectedException extends RuntimeException {
        StepRejectedException(String key, String reason) {
            super("'" + key + "' is refused: " + reason);
        }
    }
}
