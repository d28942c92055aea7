package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file's data section through positional reads ({@code pread}) into the calling lane's reused direct buffer: one
 * system call per 256 KiB and a copy, but no page faults and no TLB misses on mapped pages, which is what made the
 * mapped reader three times slower on a microVM than on the machine bench/README.md was first measured on.
 * Positional reads do not move a shared file position, so lanes read one file at once without locking.
 */
final class PositionalDataSection implements DataSection {

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;

    PositionalDataSection(Path file, FileChannel channel, long dataStart) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
    }

    @Override
    public ByteBuffer read(long position, int count, String what) throws IOException {
        ByteBuffer buffer = LaneBuffers.take(count);
        long at = dataStart + position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new SafetensorsFormatException(file + ": file ended while reading " + what + " (truncated?)");
            }
            at += read;
        }
        return buffer.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
