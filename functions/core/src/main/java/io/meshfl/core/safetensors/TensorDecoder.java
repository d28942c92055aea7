package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Turns the little-endian bytes of a {@link DataSection} into values, chunk by chunk: floats from any floating-point
 * dtype, F64 as doubles, I64 as longs, and the SHA-256 of the whole section. The one decoder every data source goes
 * through, so a memory map, positional reads and a stream give bit-identical values. The {@link SafetensorsReader}
 * checks names, dtypes and ranges before it asks.
 */
final class TensorDecoder {

    /** Largest piece copied at once. */
    private static final int BUFFER_BYTES = LaneBuffers.BYTES;

    private final String source;
    private final DataSection data;

    TensorDecoder(String source, DataSection data) {
        this.source = source;
        this.data = data;
    }

    /** Elements {@code [fromElement, fromElement + length)} of a floating-point tensor, converted to float. */
    void floats(TensorInfo tensor, long fromElement, float[] target, int offset, int length) throws IOException {
        Dtype dtype = tensor.dtype();
        long position = tensor.begin() + fromElement * dtype.byteSize();
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, BUFFER_BYTES / dtype.byteSize());
            ByteBuffer bytes = slice(tensor, position, count * dtype.byteSize());
            try {
                decode(dtype, bytes, target, offset + done, count);
            } catch (InternalError fault) {
                throw truncatedWhileCopying("tensor '" + tensor.name() + "'", fault);
            }
            position += (long) count * dtype.byteSize();
            done += count;
        }
    }

    /** Elements {@code [fromElement, fromElement + length)} of an F64 tensor, exactly. */
    void doubles(TensorInfo tensor, long fromElement, double[] target, int offset, int length) throws IOException {
        long position = tensor.begin() + fromElement * 8;
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, BUFFER_BYTES / 8);
            ByteBuffer bytes = slice(tensor, position, count * 8);
            try {
                bytes.asDoubleBuffer().get(target, offset + done, count);
            } catch (InternalError fault) {
                throw truncatedWhileCopying("tensor '" + tensor.name() + "'", fault);
            }
            position += count * 8L;
            done += count;
        }
    }

    /** The first {@code values.length} elements of an I64 tensor, exactly. */
    void longs(TensorInfo tensor, long[] values) throws IOException {
        long position = tensor.begin();
        int done = 0;
        while (done < values.length) {
            int count = Math.min(values.length - done, BUFFER_BYTES / 8);
            ByteBuffer bytes = slice(tensor, position, count * 8);
            try {
                bytes.asLongBuffer().get(values, done, count);
            } catch (InternalError fault) {
                throw truncatedWhileCopying("tensor '" + tensor.name() + "'", fault);
            }
            position += count * 8L;
            done += count;
        }
    }

    /** SHA-256 (lower-case hex) of the first {@code length} bytes of the data section. */
    String sha256(long length) throws IOException {
        MessageDigest digest = SafetensorsReader.sha256();
        long position = 0;
        while (position < length) {
            int count = (int) Math.min(BUFFER_BYTES, length - position);
            ByteBuffer bytes = slice(null, position, count);
            try {
                digest.update(bytes);
            } catch (InternalError fault) {
                throw truncatedWhileCopying("the data section", fault);
            }
            position += count;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The {@code bytes} bytes at {@code dataPosition} of the data section (at most one chunk), as a little-endian
     * buffer indexed from 0.
     */
    private ByteBuffer slice(TensorInfo tensor, long dataPosition, int bytes) throws IOException {
        return data.read(dataPosition, bytes, tensor == null ? "the data section" : "tensor '" + tensor.name() + "'");
    }

    /** A copy out of a mapped region that faulted: the file was truncated between the size check and the copy. */
    private SafetensorsFormatException truncatedWhileCopying(String name, InternalError fault) {
        if (!data.mapped()) {
            throw fault;
        }
        return new SafetensorsFormatException(source + ": file ended while reading " + name + " (truncated?)", fault);
    }

    private static void decode(Dtype dtype, ByteBuffer source, float[] target, int offset, int count) {
        switch (dtype) {
            case F32 -> source.asFloatBuffer().get(target, offset, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = (float) source.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = HalfPrecision.f16ToFloat(source.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = HalfPrecision.bf16ToFloat(source.getShort(i * 2));
                }
            }
            case I64 -> throw new IllegalArgumentException("I64 is read with readLongs");
        }
    }
}
