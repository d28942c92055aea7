package io.meshfl.core.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Test support: take a safetensors file apart into header JSON and data bytes, and put edited parts back. */
public final class SafetensorsFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsFiles() {
    }

    public record Parts(ObjectNode header, byte[] data) {
    }

    public static Parts split(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        return new Parts(header, Arrays.copyOfRange(bytes, 8 + (int) headerLength, bytes.length));
    }

    /** Writes header text and data as a safetensors file, declaring the header's true length. */
    public static void join(Path file, String headerJson, byte[] data) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).put(data);
        Files.write(file, bytes.array());
    }

    public static void join(Path file, ObjectNode header, byte[] data) throws IOException {
        join(file, JSON.writeValueAsString(header), data);
    }

    /** Overwrites the 8-byte header length field. */
    public static void setDeclaredHeaderLength(Path file, long length) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        Files.write(file, bytes);
    }
}
