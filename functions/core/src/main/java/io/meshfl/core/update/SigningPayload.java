package io.meshfl.core.update;

import io.meshfl.core.safetensors.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The bytes a domain signs: scheme {@value #SCHEME}, a canonical encoding of everything in the update anyone
 * trusts — every {@code __metadata__} entry except {@code signature} itself (model, domain, base round, base model
 * checksum, example count, metrics, data hash, and any key a future reader may start to trust) and the tensor
 * layout (names, dtypes, shapes, offsets, so two tensors cannot be swapped under one data hash).
 *
 * <p>Length-prefixed rather than canonical JSON because a Python domain reproduces it with {@code struct.pack}
 * and no JSON-escaping rules to agree on. Layout, where {@code str(s)} is a 4-byte big-endian length followed by
 * the UTF-8 bytes of {@code s}, and {@code u32(n)} is 4 bytes big-endian:
 * <pre>
 * str("meshfl-update-v2")
 * u32(number of metadata entries)  then per entry, sorted by the key's UTF-8 bytes:   str(key) str(value)
 * u32(number of tensors)           then per tensor, in data order (begin, then end):  str(name) str(dtype)
 *                                  str(shape as decimal integers joined by ",", "" for a scalar)
 *                                  str(begin as decimal) str(end as decimal)
 * </pre>
 * docs/update-signing.md shows the same layout in Python; the test vectors under
 * {@code functions/core/src/test/resources/signing-vectors/} pin it.
 */
public final class SigningPayload {

    /** The scheme this class encodes; an update names it in {@code __metadata__} as {@value UpdateMetadata#SIGNATURE_SCHEME}. */
    public static final String SCHEME = "meshfl-update-v2";

    private SigningPayload() {
    }

    /**
     * The payload of a file with this {@code __metadata__} (its {@code signature} entry, if any, is left out) and
     * these tensors (any order: they are encoded in data order).
     */
    public static byte[] of(Map<String, String> metadata, List<TensorInfo> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * tensors.size());
        string(out, SCHEME);
        List<Map.Entry<byte[], byte[]>> entries = metadata.entrySet().stream()
                .filter(e -> !e.getKey().equals(UpdateMetadata.SIGNATURE))
                .map(e -> Map.entry(utf8(e.getKey()), utf8(e.getValue())))
                // Byte order of UTF-8 is code point order: what Python's sorted() gives for str keys.
                .sorted((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()))
                .toList();
        u32(out, entries.size());
        for (Map.Entry<byte[], byte[]> entry : entries) {
            bytes(out, entry.getKey());
            bytes(out, entry.getValue());
        }
        // (begin, end): a zero-size tensor precedes the one starting at its offset, whatever order the caller
        // passes (the header's listing order breaks what ties remain, as in the reader and the Python kit).
        List<TensorInfo> inDataOrder = tensors.stream()
                .sorted(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end))
                .toList();
        u32(out, inDataOrder.size());
        for (TensorInfo tensor : inDataOrder) {
            string(out, tensor.name());
            string(out, tensor.dtype().name());
            string(out, tensor.spec().shape().stream().map(String::valueOf).collect(Collectors.joining(",")));
            string(out, Long.toString(tensor.begin()));
            string(out, Long.toString(tensor.end()));
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        bytes(out, utf8(value));
    }

    private static void bytes(ByteArrayOutputStream out, byte[] value) {
        u32(out, value.length);
        out.writeBytes(value);
    }

    private static void u32(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    /**
     * Strict UTF-8: a string with an unpaired surrogate has no UTF-8 form (Java would write '?', Python would
     * refuse), so it cannot be part of anything signed. The strict reader never yields one; this guards writers.
     */
    private static byte[] utf8(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("'" + value + "' holds an unpaired UTF-16 surrogate at index " + i
                        + ": not representable in UTF-8");
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
