package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.SafetensorsHeader;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Joins shard slices into one safetensors file: the header of the whole model, then each slice's data section in
 * order, hashed on the way. One file, not a manifest of parts: every reader (MeshFL's, PyTorch's, the Python kit's)
 * reads it unchanged, and the global model's recorded SHA-256 is the one of its data as always. The price is one
 * invocation that streams the whole model once (a ranged GET per slice, no decoding); its scratch is the model.
 */
final class Stitch {

    /** The data of tensor {@code tensor} of the stored safetensors object {@code key}. */
    record Segment(String key, String tensor) {
    }

    private Stitch() {
    }

    /**
     * Writes {@code file}: {@code tensors} laid out contiguously in this order, their data the concatenation of
     * {@code segments} (each one tensor of a stored slice), and the metadata {@code metadata} gives for the data's
     * SHA-256 (its header length must not depend on the hash's value). Returns the SHA-256.
     */
    static String write(ObjectStore store, List<TensorSpec> tensors, List<Segment> segments,
            Function<String, Map<String, String>> metadata, Path file) throws IOException {
        List<TensorInfo> layout = new ArrayList<>();
        long offset = 0;
        for (TensorSpec spec : tensors) {
            layout.add(new TensorInfo(spec, offset, offset + spec.byteSize()));
            offset += spec.byteSize();
        }
        byte[] reserved = padded(new SafetensorsHeader(metadata.apply("0".repeat(64)), layout), 0);
        MessageDigest digest = sha256();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long position = 8L + reserved.length;
            long dataStart = position;
            byte[] chunk = new byte[1 << 16];
            for (Segment segment : segments) {
                StoredHeader header = StoredHeader.read(store, segment.key());
                TensorInfo tensor = header.checked().header().tensor(segment.tensor()).orElseThrow(() ->
                        new IllegalStateException(segment.key() + " has no tensor '" + segment.tensor() + "'"));
                long from = header.checked().dataStart() + tensor.begin();
                try (InputStream in = store.openRange(segment.key(), from, from + (tensor.end() - tensor.begin()))) {
                    for (int n; (n = in.read(chunk)) > 0; ) {
                        digest.update(chunk, 0, n);
                        ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, n);
                        while (bytes.hasRemaining()) {
                            position += out.write(bytes, position);
                        }
                    }
                }
            }
            if (position - dataStart != offset) {
                throw new IllegalStateException("the slices hold " + (position - dataStart) + " bytes, the model "
                        + offset);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            byte[] header = padded(new SafetensorsHeader(metadata.apply(sha256), layout), reserved.length);
            if (header.length != reserved.length) {
                throw new IllegalStateException("the final metadata does not fit the header reserved for it");
            }
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            for (long at = 0; head.hasRemaining(); ) {
                at += out.write(head, at);
            }
            return sha256;
        }
    }

    /** The header JSON padded with spaces to {@code minimum} bytes and 8-byte alignment, as the format recommends. */
    private static byte[] padded(SafetensorsHeader header, int minimum) {
        byte[] json = header.toJson();
        int length = Math.max(json.length, minimum);
        length += (8 - length % 8) % 8;
        byte[] padded = Arrays.copyOf(json, length);
        Arrays.fill(padded, json.length, length, (byte) ' ');
        return padded;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
