package io.meshfl.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Writes a safetensors file whose layout (tensors, in the given order, and metadata) is fixed up front, then
 * takes tensor data in chunks at any position, so a writer never needs the whole model in one array. The
 * header is padded with spaces to a multiple of 8 bytes as the format recommends.
 *
 * <p>{@link #finish(Function)} can replace the metadata once the data's SHA-256 is known (an update's
 * {@code sha256} and {@code signature}): the header was reserved with the first metadata's length, so
 * placeholder values must be at least as long as the final ones. A writer closed without finishing deletes its
 * partial file.
 */
public final class SafetensorsWriter implements AutoCloseable {

    private static final int BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName = new LinkedHashMap<>();
    private final Map<String, Long> written = new LinkedHashMap<>();
    private final int reservedHeaderBytes;
    private final long dataStart;
    private final long dataLength;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    // Hashes data on the fly while chunks arrive in order; any other order falls back to reading the file back.
    private final MessageDigest digest = SafetensorsReader.sha256();
    private long digestedUpTo;
    private boolean finished;

    private SafetensorsWriter(Path file, FileChannel channel, List<TensorInfo> tensors, Map<String, String> metadata)
            throws IOException {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
        for (TensorInfo tensor : tensors) {
            if (byName.put(tensor.name(), tensor) != null) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' is listed twice");
            }
            written.put(tensor.name(), 0L);
        }
        byte[] header = paddedHeader(new SafetensorsHeader(metadata, tensors), 0);
        this.reservedHeaderBytes = header.length;
        this.dataStart = 8L + header.length;
        this.dataLength = tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).end();
        writeHeader(header);
    }

    /** Creates (or replaces) {@code file} with the given tensors, in this order, and metadata. */
    public static SafetensorsWriter create(Path file, List<TensorSpec> tensors, Map<String, String> metadata)
            throws IOException {
        List<TensorInfo> layout = new ArrayList<>(tensors.size());
        long offset = 0;
        for (TensorSpec spec : tensors) {
            long end = Math.addExact(offset, spec.byteSize());
            layout.add(new TensorInfo(spec, offset, end));
            offset = end;
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            return new SafetensorsWriter(file, channel, List.copyOf(layout), metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The tensors with their data offsets, as the header declares them. */
    public List<TensorInfo> layout() {
        return tensors;
    }

    /** The tensors in the order they are laid out. */
    public List<TensorSpec> tensors() {
        return tensors.stream().map(TensorInfo::spec).toList();
    }

    /** Writes {@code length} values as elements {@code [fromElement, …)} of a floating-point tensor. */
    public void writeFloats(String name, long fromElement, float[] source, int offset, int length) throws IOException {
        TensorInfo tensor = target(name, fromElement, length);
        Dtype dtype = tensor.dtype();
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + dtype + ": write it with writeLongs");
        }
        long position = tensor.begin() + fromElement * dtype.byteSize();
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, BUFFER_BYTES / dtype.byteSize());
            buffer.clear();
            encode(dtype, source, offset + done, count, buffer);
            buffer.flip();
            writeData(position);
            position += (long) count * dtype.byteSize();
            done += count;
        }
        written.merge(name, (long) length, Long::sum);
    }

    /**
     * Writes every tensor, in layout order, with values drawn one by one from {@code values} (each narrowed to float),
     * in 64 Ki-value chunks: synthetic models of any size for benchmarks and simulations, in O(chunk) memory.
     */
    public void fill(DoubleSupplier values) throws IOException {
        float[] chunk = new float[1 << 16];
        for (TensorInfo info : tensors) {
            TensorSpec tensor = info.spec();
            for (long from = 0; from < tensor.elementCount(); from += chunk.length) {
                int length = (int) Math.min(chunk.length, tensor.elementCount() - from);
                for (int i = 0; i < length; i++) {
                    chunk[i] = (float) values.getAsDouble();
                }
                writeFloats(tensor.name(), from, chunk, 0, length);
            }
        }
    }

    /** Writes a whole floating-point tensor. */
    public void writeFloats(String name, float[] values) throws IOException {
        writeFloats(name, 0, values, 0, values.length);
    }

    /**
     * Writes {@code length} values as elements of a floating-point tensor: F64 exactly, narrower dtypes rounded
     * to float first and then encoded as {@link #writeFloats} does.
     */
    public void writeDoubles(String name, long fromElement, double[] source, int offset, int length)
            throws IOException {
        TensorInfo tensor = target(name, fromElement, length);
        Dtype dtype = tensor.dtype();
        if (dtype != Dtype.F64) {
            float[] floats = new float[Math.min(length, BUFFER_BYTES / 4)];
            for (int done = 0; done < length; done += floats.length) {
                int count = Math.min(floats.length, length - done);
                for (int i = 0; i < count; i++) {
                    floats[i] = (float) source[offset + done + i];
                }
                writeFloats(name, fromElement + done, floats, 0, count);
            }
            return;
        }
        long position = tensor.begin() + fromElement * 8;
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, BUFFER_BYTES / 8);
            buffer.clear();
            buffer.asDoubleBuffer().put(source, offset + done, count);
            buffer.limit(count * 8);
            writeData(position);
            position += count * 8L;
            done += count;
        }
        written.merge(name, (long) length, Long::sum);
    }

    /** Writes a whole I64 tensor. */
    public void writeLongs(String name, long[] values) throws IOException {
        TensorInfo tensor = target(name, 0, values.length);
        if (tensor.dtype() != Dtype.I64) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + tensor.dtype() + ", not I64");
        }
        long position = tensor.begin();
        int done = 0;
        while (done < values.length) {
            int count = Math.min(values.length - done, BUFFER_BYTES / 8);
            buffer.clear();
            buffer.asLongBuffer().put(values, done, count);
            buffer.limit(count * 8);
            writeData(position);
            position += count * 8L;
            done += count;
        }
        written.merge(name, (long) values.length, Long::sum);
    }

    /** Completes the file with the metadata it was created with; returns the data section's SHA-256 (hex). */
    public String finish() throws IOException {
        return finish(sha256 -> null);
    }

    /**
     * Completes the file; {@code finalMetadata} receives the data section's SHA-256 (hex) and returns the
     * metadata to store instead of the initial one, or null to keep it. Returns the SHA-256.
     */
    public String finish(Function<String, Map<String, String>> finalMetadata) throws IOException {
        for (TensorInfo tensor : tensors) {
            long count = written.get(tensor.name());
            if (count != tensor.elementCount()) {
                throw new IllegalStateException("tensor '" + tensor.name() + "': " + count + " of "
                        + tensor.elementCount() + " elements written");
            }
        }
        String sha256 = digestedUpTo == dataLength ? HexFormat.of().formatHex(digest.digest()) : readBackSha256();
        Map<String, String> metadata = finalMetadata.apply(sha256);
        if (metadata != null) {
            byte[] header = paddedHeader(new SafetensorsHeader(metadata, tensors), reservedHeaderBytes);
            if (header.length != reservedHeaderBytes) {
                throw new IllegalStateException("final metadata needs a " + header.length
                        + "-byte header but only " + reservedHeaderBytes + " were reserved: use longer placeholders");
            }
            writeHeader(header);
        }
        channel.truncate(dataStart + dataLength);
        // No fsync: every file MeshFL writes is on its way to the object store (which makes it durable) or is a CLI
        // output, and forcing a model to disk would cost the aggregator a disk flush per round for nothing.
        finished = true;
        return sha256;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (!finished) {
            Files.deleteIfExists(file);
        }
    }

    private TensorInfo target(String name, long fromElement, int length) {
        if (finished) {
            throw new IllegalStateException(file + " is already finished");
        }
        TensorInfo tensor = byName.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in the layout of " + file);
        }
        if (fromElement < 0 || length < 0 || fromElement + length > tensor.elementCount()) {
            throw new IndexOutOfBoundsException("elements [" + fromElement + ", " + (fromElement + length)
                    + ") outside tensor '" + name + "' of " + tensor.elementCount());
        }
        return tensor;
    }

    private void writeData(long dataPosition) throws IOException {
        if (dataPosition == digestedUpTo) {
            digest.update(buffer.duplicate());
            digestedUpTo += buffer.remaining();
        }
        long position = dataStart + dataPosition;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private String readBackSha256() throws IOException {
        MessageDigest fresh = SafetensorsReader.sha256();
        long position = dataStart;
        long end = dataStart + dataLength;
        while (position < end) {
            buffer.clear().limit((int) Math.min(BUFFER_BYTES, end - position));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException(file + " is shorter than the data written to it");
                }
            }
            buffer.flip();
            position += buffer.remaining();
            fresh.update(buffer);
        }
        return HexFormat.of().formatHex(fresh.digest());
    }

    private void writeHeader(byte[] header) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).flip();
        long position = 0;
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    /** Header JSON padded with spaces to at least {@code minimum} bytes and so that 8 + length is a multiple of 8. */
    private static byte[] paddedHeader(SafetensorsHeader header, int minimum) {
        byte[] json = header.toJson();
        int length = Math.max(json.length, minimum);
        length += (8 - (length % 8)) % 8;
        byte[] padded = new byte[length];
        System.arraycopy(json, 0, padded, 0, json.length);
        java.util.Arrays.fill(padded, json.length, length, (byte) ' ');
        return padded;
    }

    private static void encode(Dtype dtype, float[] source, int offset, int count, ByteBuffer target) {
        switch (dtype) {
            case F32 -> {
                target.asFloatBuffer().put(source, offset, count);
                target.position(count * 4);
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    target.putDouble(source[offset + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    target.putShort(HalfPrecision.floatToF16(source[offset + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    target.putShort(HalfPrecision.floatToBf16(source[offset + i]));
                }
            }
            case I64 -> throw new IllegalArgumentException("I64 is written with writeLongs");
        }
    }
}
