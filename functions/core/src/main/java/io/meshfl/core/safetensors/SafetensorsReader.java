package io.meshfl.core.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Reads a safetensors file in chunks, so a 1 GB model never needs a 1 GB array. The header is parsed and checked
 * strictly before any data is read; the data section comes from one of three {@link DataSection}s, all decoded by
 * the one {@link TensorDecoder}: positional reads of the file into each lane's reused direct buffer (the default), memory maps
 * of the file ({@link Access#MAPPED}), or a stream from the object store ({@link #streamed}). A file truncated
 * underneath a reader fails later with a {@link SafetensorsFormatException} naming the tensor being read. Reads are
 * safe from several threads at once.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** Header length limit unless a caller chooses another: 16 MiB, far above any real model's header. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 16L * 1024 * 1024;

    /**
     * The reference implementation refuses headers above 100,000,000 bytes whatever the caller allows; so does
     * this reader (which also keeps the header within one Java array).
     */
    public static final long REFERENCE_MAX_HEADER_BYTES = 100_000_000L;

    /** Largest piece copied at once (by the widening in {@link #readDoubles}). */
    private static final int BUFFER_BYTES = LaneBuffers.BYTES;

    /** How a file's data section is read. */
    public enum Access {
        /**
         * {@code FileChannel.read(buffer, position)} into the lane's reused direct buffer: as fast as maps where
         * page faults are cheap, and not three times slower where they are not (microVMs; see bench/README.md).
         */
        POSITIONAL,
        /** Memory maps of the file: no copy, but a page fault per first touch of every page. */
        MAPPED
    }

    /** Reads bytes of a safetensors object at a position: a file, or ranged GETs of a stored object. */
    public interface ByteRange {
        /** Fills {@code target} with the bytes at {@code position}; EOF before it is full is an IOException. */
        void readFully(long position, ByteBuffer target) throws IOException;
    }

    /** A checked header and where the data section starts (8 + header length). */
    public record HeaderAt(SafetensorsHeader header, long dataStart) {
    }

    private final String source;
    private final SafetensorsHeader header;
    private final DataSection data;
    private final TensorDecoder decoder;
    private final int maxBlockValues;

    private SafetensorsReader(String source, SafetensorsHeader header, DataSection data, int maxBlockValues) {
        this.source = source;
        this.header = header;
        this.data = data;
        this.decoder = new TensorDecoder(source, data);
        this.maxBlockValues = maxBlockValues;
    }

    public static SafetensorsReader open(Path file) throws IOException {
        return open(file, DEFAULT_MAX_HEADER_BYTES, Access.POSITIONAL);
    }

    public static SafetensorsReader open(Path file, Access access) throws IOException {
        return open(file, DEFAULT_MAX_HEADER_BYTES, access);
    }

    public static SafetensorsReader open(Path file, long maxHeaderBytes) throws IOException {
        return open(file, maxHeaderBytes, Access.POSITIONAL);
    }

    /**
     * Opens {@code file} and checks its header.
     *
     * @throws SafetensorsFormatException if the file is not valid safetensors (message names what is wrong)
     * @throws IOException if the file cannot be read at all
     */
    public static SafetensorsReader open(Path file, long maxHeaderBytes, Access access) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            HeaderAt checked = readHeader((position, target) -> readFully(channel, target, position), channel.size(),
                    maxHeaderBytes);
            SafetensorsHeader header = checked.header();
            DataSection data = access == Access.MAPPED
                    ? new MappedDataSection(file, channel, checked.dataStart(), header.dataLength())
                    : new PositionalDataSection(file, channel, checked.dataStart());
            return new SafetensorsReader(file.toString(), header, data, Integer.MAX_VALUE);
        } catch (SafetensorsFormatException e) {
            channel.close();
            throw new SafetensorsFormatException(file + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A reader over a data section streamed from the object store, whose header {@link #readHeader} checked. Its
     * values can be read once each, in a window that moves forward (see {@link StreamedDataSection}) sized for
     * reads of at most {@code maxBlockValues} values per lane.
     */
    public static SafetensorsReader streamed(String source, SafetensorsHeader header, StreamedDataSection data,
            int maxBlockValues) {
        return new SafetensorsReader(source, header, data, maxBlockValues);
    }

    /** The most values a lane should read at once (a streamed section's window is sized for it). */
    public int maxBlockValues() {
        return maxBlockValues;
    }

    /**
     * Reads and checks the header of an object of {@code size} bytes: the same limits and the same strict parse
     * whether the bytes come from a file or from the object store, and before any tensor data is trusted.
     */
    public static HeaderAt readHeader(ByteRange bytes, long size, long maxHeaderBytes) throws IOException {
        if (size < 8) {
            throw new SafetensorsFormatException(size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.readFully(0, lengthBytes);
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
        bytes.readFully(8, json);
        return new HeaderAt(SafetensorsHeader.parse(json.array(), size - 8 - headerLength), 8 + headerLength);
    }

    /** The file or object this reader reads, for messages. */
    public String source() {
        return source;
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
        return header.tensor(name).orElseThrow(() -> new IllegalArgumentException(source + " has no tensor '" + name + "'"));
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
        decoder.floats(tensor, fromElement, target, offset, length);
    }

    /**
     * Reads elements of a floating-point tensor into {@code target} as double: F64 exactly, narrower dtypes widened
     * (also exactly). What FedAvg reads for a model with F64 tensors, so that their precision survives aggregation.
     */
    public void readDoubles(String name, long fromElement, double[] target, int offset, int length) throws IOException {
        TensorInfo tensor = tensor(name);
        Dtype dtype = tensor.dtype();
        if (dtype != Dtype.F64) {
            float[] floats = new float[Math.min(length, BUFFER_BYTES / 4)];
            for (int done = 0; done < length; done += floats.length) {
                int count = Math.min(floats.length, length - done);
                readFloats(name, fromElement + done, floats, 0, count);
                for (int i = 0; i < count; i++) {
                    target[offset + done + i] = floats[i];
                }
            }
            return;
        }
        checkRange(tensor, fromElement, length);
        decoder.doubles(tensor, fromElement, target, offset, length);
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
        decoder.longs(tensor, values);
        return values;
    }

    /** SHA-256 (lower-case hex) of the raw data section: what an update's {@code sha256} metadata declares. */
    public String dataSha256() throws IOException {
        return decoder.sha256(header.dataLength());
    }

    @Override
    public void close() throws IOException {
        data.close();
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

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        while (target.hasRemaining()) {
            int read = channel.read(target, position);
            if (read < 0) {
                throw new EOFException("end of file at byte " + position);
            }
            position += read;
        }
    }
}
