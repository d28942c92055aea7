package io.meshfl.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One reused direct buffer per thread for readers that copy bytes instead of mapping them. Aggregation lanes are
 * threads, so this is one buffer per lane whatever the number of files: K = 100 updates on two lanes cost two
 * buffers, not two hundred. A reader uses the buffer only between filling it and decoding it, on its own thread.
 */
final class LaneBuffers {

    /** Largest piece read at once; also the reader's decoding chunk. */
    static final int BYTES = 1 << 18;

    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BYTES).order(ByteOrder.LITTLE_ENDIAN));

    private LaneBuffers() {
    }

    /** This thread's buffer, cleared, with its limit at {@code bytes}. */
    static ByteBuffer take(int bytes) {
        if (bytes > BYTES) {
            throw new IllegalArgumentException(bytes + " bytes asked of a " + BYTES + "-byte lane buffer");
        }
        return BUFFERS.get().clear().limit(bytes);
    }
}
