package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file's data section through memory maps: no copy into a buffer, but every first touch of a page is a page fault,
 * which costs far more on some virtual machines than on others (see bench/README.md).
 */
final class MappedDataSection implements DataSection {

    /** Map windows start every 1 GiB (a buffer holds at most 2 GiB) and overlap by a chunk. */
    private static final long WINDOW_BYTES = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final long dataLength;
    private final MappedByteBuffer[] windows;

    MappedDataSection(Path file, FileChannel channel, long dataStart, long dataLength) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
        this.windows = new MappedByteBuffer[(int) ((dataLength + WINDOW_BYTES - 1) / WINDOW_BYTES)];
    }

    @Override
    public ByteBuffer read(long position, int count, String what) throws IOException {
        // A mapped file that shrinks faults on access; check first so the usual case is a clear error.
        if (channel.size() < dataStart + position + count) {
            throw new SafetensorsFormatException(file + ": file ended while reading " + what + " (truncated?)");
        }
        int index = (int) (position / WINDOW_BYTES);
        return window(index).slice((int) (position - index * WINDOW_BYTES), count).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean mapped() {
        return true;
    }

    /** Maps windows on first use; synchronized because aggregation reads one file from several threads. */
    private synchronized MappedByteBuffer window(int index) throws IOException {
        MappedByteBuffer window = windows[index];
        if (window == null) {
            long start = index * WINDOW_BYTES;
            long length = Math.min(WINDOW_BYTES + LaneBuffers.BYTES, dataLength - start);
            window = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + start, length);
            windows[index] = window;
        }
        return window;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
