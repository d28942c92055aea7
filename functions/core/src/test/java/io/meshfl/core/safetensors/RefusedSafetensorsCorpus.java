package io.meshfl.core.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Files the safetensors reader must refuse, each with the part of the refusal that names what is wrong: the
 * parser differentials issue 14 found (content after the header's JSON object, a byte-order mark, overlong or
 * invalid UTF-8, duplicate keys) and their neighbours. The committed copies under
 * {@code src/test/resources/safetensors-refused/} (with {@code refusals.tsv}, one {@code file<TAB>reason} a line, for
 * readers in other languages) are written by {@link #main}; {@code RefusedSafetensorsCorpusTest} checks that they
 * are exactly what this class generates and that each is refused.
 */
public final class RefusedSafetensorsCorpus {

    public static final Path DIRECTORY = Path.of("src/test/resources/safetensors-refused");

    /** A valid header: one F32 tensor of two values, and a metadata entry. */
    static final String VALID = "{\"__metadata__\":{\"num_examples\":\"5\"},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    static final byte[] DATA = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}; // 1.0f, 2.0f

    /** {@code reason} is part of the refusal; byte positions count from the first byte of the header. */
    public record Case(String file, byte[] header, String reason) {
        /** The whole file: the header's length, the header, the data. */
        public byte[] bytes() {
            ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + DATA.length).order(ByteOrder.LITTLE_ENDIAN);
            return buffer.putLong(header.length).put(header).put(DATA).array();
        }
    }

    private RefusedSafetensorsCorpus() {
    }

    public static List<Case> cases() {
        return List.of(
                text("trailing-text.safetensors", VALID + "xyz", "content after its JSON object at byte 90 ('x')"),
                text("trailing-bracket.safetensors", VALID + "]", "content after its JSON object at byte 90 (']')"),
                text("second-object.safetensors", VALID + "{\"__metadata__\":{\"num_examples\":\"999\"}}",
                        "content after its JSON object at byte 90 ('{')"),
                text("nul-padding.safetensors", VALID + "\0\0\0\0\0\0\0\0", "content after its JSON object at byte 90 (U+0000)"),
                text("comment-after.safetensors", VALID + " /* c */", "content after its JSON object at byte 91 ('/')"),
                text("newline-padding.safetensors", VALID + "\n", "content after its JSON object at byte 90 (U+000A)"),
                text("comment-inside.safetensors", "{/* c */" + VALID.substring(1), "not valid JSON"),
                bytes("byte-order-mark.safetensors", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(VALID)),
                        "byte order mark"),
                text("leading-space.safetensors", " " + VALID, "must start with '{', starts with ' '"),
                text("array.safetensors", "[" + VALID + "]", "must start with '{', starts with '['"),
                bytes("overlong-utf8-name.safetensors", withName(new byte[] {(byte) 0xC0, (byte) 0xAF}),
                        "not valid UTF-8: invalid or overlong sequence at byte 39"),
                bytes("invalid-utf8-name.safetensors", withName(new byte[] {(byte) 0xFF}),
                        "not valid UTF-8: invalid or overlong sequence at byte 39"),
                bytes("encoded-surrogate-name.safetensors", withName(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                        "not valid UTF-8: invalid or overlong sequence at byte 39"),
                text("unpaired-surrogate-escape.safetensors", VALID.replace("\"w\"", "\"w\\ud800\""),
                        "tensor name holds an unpaired surrogate escape (\\ud800)"),
                text("duplicate-tensor.safetensors", VALID.substring(0, VALID.length() - 1)
                        + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "Duplicate field 'w'"),
                text("duplicate-metadata-key.safetensors", VALID.replace("\"num_examples\":\"5\"",
                        "\"num_examples\":\"5\",\"num_examples\":\"999\""), "Duplicate field 'num_examples'"),
                text("nan-literal.safetensors", VALID.replace("[2]", "[NaN]"), "not valid JSON"),
                text("leading-zero.safetensors", VALID.replace("[0,8]", "[00,8]"), "not valid JSON"),
                text("raw-control-character.safetensors", VALID.replace("\"5\"", "\"5\t\""), "not valid JSON"));
    }

    /** Writes the corpus into {@code args[0]} (default: {@link #DIRECTORY}, run from {@code functions/core}). */
    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : DIRECTORY;
        Files.createDirectories(directory);
        StringBuilder index = new StringBuilder();
        for (Case c : cases()) {
            Files.write(directory.resolve(c.file()), c.bytes());
            index.append(c.file()).append('\t').append(c.reason()).append('\n');
        }
        Files.writeString(directory.resolve("refusals.tsv"), index, StandardCharsets.UTF_8);
    }

    private static Case text(String file, String header, String reason) {
        return new Case(file, utf8(header), reason);
    }

    private static Case bytes(String file, byte[] header, String reason) {
        return new Case(file, header, reason);
    }

    /** {@link #VALID} with these raw bytes appended to the tensor name {@code w}. */
    private static byte[] withName(byte[] suffix) {
        int at = VALID.indexOf("\"w\"") + 2;
        return concat(utf8(VALID.substring(0, at)), suffix, utf8(VALID.substring(at)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
