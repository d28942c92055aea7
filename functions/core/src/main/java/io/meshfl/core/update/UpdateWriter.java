package io.meshfl.core.update;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import io.meshfl.core.safetensors.TensorSpec;
import java.util.List;
import java.util.Map;

/**
 * Writes a domain's signed update: the weights, the metadata, and the signature over the file's
 * {@link SigningPayload} (every metadata entry, the data's SHA-256 included, and the tensor layout).
 */
public final class UpdateWriter {

    // Ed25519 signatures are 64 bytes, so 88 Base64 characters; a SHA-256 is 64 hex digits. Reserving the header
    // with placeholders of exactly these lengths lets the writer stream the data first and sign it afterwards.
    private static final String SHA256_PLACEHOLDER = "0".repeat(64);
    private static final String SIGNATURE_PLACEHOLDER = "A".repeat(88);

    private final UpdateSigner signer;

    public UpdateWriter(UpdateSigner signer) {
        this.signer = signer;
    }

    /**
     * Writes {@code weights} (each tensor in its manifest dtype) to {@code target}; returns the metadata as stored,
     * with {@code sha256} and {@code signature} filled in.
     */
    public UpdateMetadata write(Path target, ModelWeights weights, UpdateMetadata unsigned) throws IOException {
        return write(target, weights.manifest().tensors(), weights::writeInto, unsigned);
    }

    /** Writes each tensor's values into the file, in any dtype the tensors declare (F64, I64 included). */
    @FunctionalInterface
    public interface Content {
        void writeInto(SafetensorsWriter writer) throws IOException;
    }

    /**
     * Writes {@code tensors} with the values {@code content} puts into the writer to {@code target}, signed; returns
     * the metadata as stored, with {@code sha256} and {@code signature} filled in.
     */
    public UpdateMetadata write(Path target, List<TensorSpec> tensors, Content content, UpdateMetadata unsigned)
            throws IOException {
        UpdateMetadata placeholder = unsigned.signed(SHA256_PLACEHOLDER, SIGNATURE_PLACEHOLDER);
        UpdateMetadata[] stored = new UpdateMetadata[1];
        try (SafetensorsWriter writer = SafetensorsWriter.create(target, tensors, placeholder.toMap())) {
            content.writeInto(writer);
            writer.finish(sha256 -> {
                Map<String, String> hashed = unsigned.signed(sha256, null).toMap();
                String signature = signer.sign(SigningPayload.of(hashed, writer.layout()));
                stored[0] = unsigned.signed(sha256, signature);
                return stored[0].toMap();
            });
        }
        return stored[0];
    }
}
