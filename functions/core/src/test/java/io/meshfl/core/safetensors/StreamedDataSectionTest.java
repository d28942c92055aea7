package io.meshfl.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamedDataSectionTest {

    private static final int CHUNK = 64;

    private final byte[] data = random(1000);

    @Test
    void readsFrontToBackGiveTheStreamsBytesAndItsSha256() throws Exception {
        try (StreamedDataSection section = new StreamedDataSection("s", data.length, this::range, CHUNK, 3, 5000)) {
            byte[] read = readAll(section, 100);

            assertThat(read).isEqualTo(data);
            assertThat(section.finish()).isEqualTo(sha256(data));
        }
    }

    @Test
    void aBrokenConnectionIsReopenedWhereItBrokeAndTheHashStillCoversEveryByteOnce() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        StreamedDataSection.RangeOpener breaksOnce = (from, to) -> {
            InputStream range = range(from, to);
            return opens.incrementAndGet() > 1 ? range : new BreakingStream(range, 333);
        };
        try (StreamedDataSection section = new StreamedDataSection("s", data.length, breaksOnce, CHUNK, 4, 5000)) {
            assertThat(readAll(section, 128)).isEqualTo(data);
            assertThat(section.finish()).isEqualTo(sha256(data));
            assertThat(opens).hasValue(2);
        }
    }

    @Test
    void finishHashesTheBytesNobodyRead() throws Exception {
        try (StreamedDataSection section = new StreamedDataSection("s", data.length, this::range, CHUNK, 2, 5000)) {
            section.read(0, 10, "the first bytes");

            assertThat(section.finish()).isEqualTo(sha256(data));
        }
    }

    @Test
    void readingBytesTwiceFailsInsteadOfReturningWhateverTheRingHoldsNow() throws Exception {
        try (StreamedDataSection section = new StreamedDataSection("s", data.length, this::range, CHUNK, 2, 5000)) {
            readAll(section, 64);

            assertThatThrownBy(() -> section.read(0, 8, "tensor 'w'"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("read twice");
        }
    }

    @Test
    void aStreamThatEndsEarlyFailsTheReadThatNeedsTheMissingBytes() {
        StreamedDataSection.RangeOpener shortStream = (from, to) -> range(from, Math.min(to, 500));
        try (StreamedDataSection section = new StreamedDataSection("s", data.length, shortStream, CHUNK, 20, 5000)) {
            assertThatThrownBy(() -> readAll(section, 100)).isInstanceOf(IOException.class)
                    .hasMessageContaining("stream ended");
        }
    }

    @Test
    void theRingHoldsOneBlockPerLaneTheChunksABlockMayStraddleAndTheReadAhead() {
        assertThat(StreamedDataSection.ringFor(2, 64 * 1024, 64 * 1024, 2)).isEqualTo(6);
        assertThat(StreamedDataSection.ringFor(1, 100, 64, 0)).isEqualTo(4);
    }

    private static byte[] readAll(StreamedDataSection section, int piece) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(1000);
        for (int at = 0; at < 1000; at += piece) {
            all.put(section.read(at, Math.min(piece, 1000 - at), "bytes " + at));
        }
        return all.array();
    }

    private InputStream range(long from, long to) {
        return new ByteArrayInputStream(data, (int) from, (int) (to - from));
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A connection that resets after {@code limit} bytes. */
    private static final class BreakingStream extends InputStream {
        private final InputStream in;
        private int left;

        BreakingStream(InputStream in, int limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (left <= 0) {
                throw new IOException("connection reset");
            }
            int read = in.read(target, offset, Math.min(length, left));
            left -= Math.max(read, 0);
            return read;
        }
    }
}
