package io.meshfl.core.streaming;

import io.meshfl.core.objectstore.NoSuchObjectException;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsReader.HeaderAt;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;

/**
 * A stored safetensors object's header, read with ranged GETs and checked by the same strict parse as a file's,
 * before a byte of its data is read.
 */
public record StoredHeader(StoredObject object, HeaderAt checked) {

    /** The first GET asks for this much: enough for any real model's header, so usually one request. */
    private static final int FIRST_BYTES = 64 * 1024;

    /**
     * Reads {@code key}'s header.
     *
     * @throws SafetensorsFormatException if the object is not valid safetensors (the message names the key)
     */
    public static StoredHeader read(ObjectStore store, String key) throws IOException {
        StoredObject object = store.head(key).orElseThrow(() -> new NoSuchObjectException(store.bucket(), key));
        byte[] first = readRange(store, key, 0, Math.min(object.size(), FIRST_BYTES));
        SafetensorsReader.ByteRange bytes = (position, target) -> {
            int count = target.remaining();
            if (position + count <= first.length) {
                target.put(first, (int) position, count);
            } else {
                target.put(readRange(store, key, position, position + count));
            }
        };
        try {
            return new StoredHeader(object, SafetensorsReader.readHeader(bytes, object.size(),
                    SafetensorsReader.DEFAULT_MAX_HEADER_BYTES));
        } catch (SafetensorsFormatException e) {
            throw new SafetensorsFormatException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the object's data lies in {@code manifest}'s order with exactly its tensors, so that reading the model
     * front to back reads the object front to back: the condition for streaming it. A file another tool wrote in
     * another order is downloaded instead.
     */
    public boolean followsOrderOf(ModelManifest manifest) {
        List<TensorInfo> stored = checked.header().tensors().stream()
                .sorted(Comparator.comparingLong(TensorInfo::begin)).toList();
        List<TensorSpec> expected = manifest.tensors();
        if (stored.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < stored.size(); i++) {
            TensorSpec wanted = expected.get(i);
            TensorInfo found = stored.get(i);
            if (!found.name().equals(wanted.name()) || found.elementCount() != wanted.elementCount()
                    || !found.dtype().isFloatingPoint()) {
                return false;
            }
        }
        return true;
    }

    /** Largest element of the object's tensors, in bytes (8 for F64, 2 for F16). */
    public int widestElementBytes() {
        return checked.header().tensors().stream().mapToInt(t -> t.dtype().byteSize()).max().orElse(1);
    }

    private static byte[] readRange(ObjectStore store, String key, long from, long to) throws IOException {
        try (InputStream in = store.openRange(key, from, to)) {
            byte[] bytes = in.readNBytes((int) (to - from));
            if (bytes.length != to - from) {
                throw new EOFException(key + " ended at byte " + (from + bytes.length) + " of " + to);
            }
            return bytes;
        }
    }
}
