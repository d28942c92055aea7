package io.meshfl.vertical.hashtocurve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the RFC 9380 appendix text copied under {@code src/test/resources/rfc9380/}: blocks of {@code name = value}
 * lines separated by blank lines, a value continued on indented lines. A block that names a DST applies it to the
 * vector blocks after it.
 */
final class Rfc9380Vectors {

    private Rfc9380Vectors() {
    }

    /** Every vector block (one with a {@code msg}), each with the DST in force under the key {@code "dst"}. */
    static List<Map<String, String>> read(String resource) {
        List<Map<String, String>> vectors = new ArrayList<>();
        String dst = null;
        for (Map<String, String> block : blocks(text(resource))) {
            String named = block.getOrDefault("dst", block.get("DST"));
            if (named != null) {
                dst = named;
            }
            if (block.containsKey("msg")) {
                Map<String, String> vector = new LinkedHashMap<>(block);
                vector.put("dst", dst);
                vectors.add(vector);
            }
        }
        return vectors;
    }

    private static List<Map<String, String>> blocks(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String lastName = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                lastName = null;
            } else if (Character.isWhitespace(line.charAt(0))) {
                if (lastName == null) {
                    throw new IllegalStateException("A continuation line with no value above it: '" + line + "'");
                }
                current.merge(lastName, line.strip(), String::concat);
            } else {
                int equals = line.indexOf('=');
                lastName = line.substring(0, equals).strip();
                current.put(lastName, line.substring(equals + 1).strip());
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }

    private static String text(String resource) {
        try (InputStream in = Rfc9380Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Test resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
