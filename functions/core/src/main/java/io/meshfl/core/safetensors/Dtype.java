package io.meshfl.core.safetensors;

import java.util.Optional;

/**
 * The safetensors element types MeshFL reads. Floating types are converted to {@code float} on read; I64 holds
 * counters (read exactly with {@link SafetensorsReader#readLongs}).
 */
public enum Dtype {
    F64(8), F32(4), F16(2), BF16(2), I64(8);

    private final int byteSize;

    Dtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this != I64;
    }

    /** The dtype spelled as in a safetensors header ("F32", "BF16", …), or empty if MeshFL does not read it. */
    public static Optional<Dtype> fromHeaderName(String name) {
        for (Dtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
