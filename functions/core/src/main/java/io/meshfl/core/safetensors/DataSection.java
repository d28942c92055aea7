package io.meshfl.core.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a {@link SafetensorsReader}'s data section comes from: a memory map of a file, positional reads of a file,
 * or a stream from the object store. Every source hands out the same little-endian bytes, so the one decoder
 * ({@link TensorDecoder}) gives bit-identical values whichever source is used.
 */
interface DataSection extends Closeable {

    /**
     * Bytes {@code [position, position + count)} of the data section (at most {@link LaneBuffers#BYTES}) as a
     * little-endian buffer indexed from 0. The buffer may be the calling thread's reused one: it is valid until the
     * same thread's next read.
     *
     * @param what what is being read ("tensor 'w'"), for error messages
     */
    ByteBuffer read(long position, int count, String what) throws IOException;

    /**
     * Whether a copy out of the returned buffer can fault ({@link InternalError}) because the file shrank underneath
     * a memory map.
     */
    default boolean mapped() {
        return false;
    }
}
