package io.meshfl.core.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads a safetensors file through memory maps of its data section, in chunks, so a 1 GB model never needs a 1 GB
 * array and the page cache is copied once, straight into the caller's array. The header is parsed and checked
 * when the file is opened; a file truncated underneath a reader fails later with a
 * {@link SafetensorsFormatException} naming the tensor being read. Reads are safe from several threads at once.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** Header length limit unless a caller chooses another: 16 MiB, far above any real model's header. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 16L * 1024 * 1024;

    /**
     * The reference implementation refuses headers above 100,000,000 bytes whatever the caller allows; so does
     * this reader (which also keeps the header within one Java array).
     */
    public static final long REFERENCE_MAX_HEADER_BYTES = 100_000_000L;

    /** Largest piece copied at once: bounds the overlap of consecutive map windows. */
    private static final int BUFFER_BYTES = 1 << 18;
    /** Map windows start every 1 GiB (a buffer holds at most 2 GiB) and overlap by a chunk. */
    private static final long WINDOW_BYTES = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final MappedByteBuffer[] windows;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header, long dataStart) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
        this.windows = new MappedByteBuffer[(int) ((header.dataLength() + WINDOW_BYTES - 1) / WINDOW_BYTES)];
    }

    public static SafetensorsReader open(Path file) throws IOException {
        return open(file, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Opens {@code file} and checks its header.
     *
     * @throws SafetensorsFormatException if the file is not valid safetensors (message names what is wrong)
     * @throws IOException if the file cannot be read at all
     */
    public static SafetensorsReader open(Path file, long maxHeaderBytes) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsFormatException(size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > maxHeaderBytes) {
                throw new SafetensorsFormatException("header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + maxHeaderBytes + " bytes");
            }
            if (headerLength > REFERENCE_MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException("header length " + headerLength + " exceeds "
                        + REFERENCE_MAX_HEADER_BYTES + " bytes, the largest header the safetensors format allows");
            }
            if (headerLength < 2 || 8 + headerLength > size) {
                throw new SafetensorsFormatException("header length " + headerLength
                        + " does not fit in a file of " + size + " bytes (truncated?)");
            }
            ByteBuffer json = ByteBuffer.allocate((int) headerLength);
            readFully(channel, json, 8);
            SafetensorsHeader header = SafetensorsHeader.parse(json.array(), size - 8 - headerLength);
            return new SafetensorsReader(file, channel, header, 8 + headerLength);
        } catch (SafetensorsFormatException e) {
            channel.close();
            throw new SafetensorsFormatException(file + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public SafetensorsHeader header() {
        return header;
    }

    public Map<String, String> metadata() {
        return header.metadata();
    }

    public ModelManifest manifest() {
        return ModelManifest.of(header);
    }

    /** The tensor's header entry; {@link IllegalArgumentException} if the file has no such tensor. */
    public TensorInfo tensor(String name) {
        return header.tensor(name).orElseThrow(() -> new IllegalArgumentException(file + " has no tensor '" + name + "'"));
    }

    /** Reads a whole floating-point tensor, converted to float. */
    public float[] readFloats(String name) throws IOException {
        TensorInfo tensor = tensor(name);
        if (tensor.elementCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + tensor.elementCount()
                    + " elements, too many for one array: read it in ranges");
        }
        float[] values = new float[(int) tensor.elementCount()];
        readFloats(name, 0, values, 0, values.length);
        return values;
    }

    /**
     * Reads elements {@code [fromElement, fromElement + length)} of a floating-point tensor into {@code target},
     * converted to float.
     */
    public void readFloats(String name, long fromElement, float[] target, int offset, int length) throws IOException {
        TensorInfo tensor = tensor(name);
        Dtype dtype = tensor.dtype();
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + dtype + ", not a floating-point tensor");
        }
        checkRange(tensor, fromElement, length);
        long position = tensor.begin() + fromElement * dtype.byteSize();
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, BUFFER_BYTES / dtype.byteSize());
            ByteBuffer bytes = slice(tensor, position, count * dtype.byteSize());
            try {
                decode(dtype, bytes, target, offset + done, count);
            } catch (InternalError fault) {
                throw truncatedWhileCopying("tensor '" + name + "'", fault);
            }
            position += (long) count * dtype.byteSize();
            done += count;
        }
    }

    /** Reads a whole I64 tensor exactly (MeshFL stores counters this way). */
    public long[] readLongs(String name) throws IOException {
        TensorInfo tensor = tensor(name);
        if (tensor.dtype() != Dtype.I64) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + tensor.dtype() + ", not I64");
        }
        if (tensor.elementCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' is too large for one array");
        }
        long[] values = new long[(int) tensor.elementCount()];
        long position = tensor.begin();
        int done = 0;
        while (done < values.length) {
            int count = Math.min(values.length - done, BUFFER_BYTES / 8);
            ByteBuffer bytes = slice(tensor, position, count * 8);
            try {
                bytes.asLongBuffer().get(values, done, count);
            } catch (InternalError fault) {
                throw truncatedWhileCopying("tensor '" + name + "'", fault);
            }
            position += count * 8L;
            done += count;
        }
        return values;
    }

    /** SHA-256 (lower-case hex) of the raw data section: what an update's {@code sha256} metadata declares. */
    public String dataSha256() throws IOException {
        MessageDigest digest = sha256();
        long position = 0;
        long end = header.dataLength();
        while (position < end) {
            int count = (int) Math.min(BUFFER_BYTES, end - position);
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

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private void checkRange(TensorInfo tensor, long fromElement, int length) {
        if (fromElement < 0 || length < 0 || fromElement + length > tensor.elementCount()) {
            throw new IndexOutOfBoundsException("elements [" + fromElement + ", " + (fromElement + length)
                    + ") outside tensor '" + tensor.name() + "' of " + tensor.elementCount());
        }
    }

    /**
     * The {@code bytes} bytes at {@code dataPosition} of the data section (at most one chunk), as a little-endian
     * buffer indexed from 0.
     */
    private ByteBuffer slice(TensorInfo tensor, long dataPosition, int bytes) throws IOException {
        String what = tensor == null ? "the data section" : "tensor '" + tensor.name() + "'";
        // A mapped file that shrinks faults on access; check first so the usual case is a clear error.
        if (channel.size() < dataStart + dataPosition + bytes) {
            throw new SafetensorsFormatException(file + ": file ended while reading " + what + " (truncated?)");
        }
        int index = (int) (dataPosition / WINDOW_BYTES);
        return window(index).slice((int) (dataPosition - index * WINDOW_BYTES), bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Maps windows on first use; synchronized because aggregation reads one file from several threads. */
    private synchronized MappedByteBuffer window(int index) throws IOException {
        MappedByteBuffer window = windows[index];
        if (window == null) {
            long start = index * WINDOW_BYTES;
            long length = Math.min(WINDOW_BYTES + BUFFER_BYTES, header.dataLength() - start);
            window = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + start, length);
            windows[index] = window;
        }
        return window;
    }

    /** A copy out of a mapped region that faulted: the file was truncated between the size check and the copy. */
    private SafetensorsFormatException truncatedWhileCopying(String name, InternalError fault) {
        return new SafetensorsFormatException(file + ": file ended while reading " + name + " (truncated?)", fault);
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        while (target.hasRemaining()) {
            int read = channel.read(target, position);
            if (read < 0) {
                throw new EOFException("end of file at byte " + position);
            }
            position += read;
        }
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
