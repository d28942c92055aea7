package io.meshfl.core.objectstore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The shape every object key (and list prefix) of the federation must have, checked before anyone decides
 * whether a request is allowed. S3 does not normalise keys: {@code domains/a/../b/x} is one opaque key to S3 and to
 * IAM, but a store that maps keys onto files (S3Proxy's filesystem store, a FUSE mount, a copy to disk) resolves it
 * to {@code domains/b/x}, so a policy checked on the raw key is not the policy applied to the object touched.
 * Refusing those keys everywhere keeps one meaning per key: what the local mesh allows, AWS allows, and no key
 * means different objects to a policy and to a store.
 *
 * <p>Refused: empty keys, keys over 1,024 UTF-8 bytes (S3's limit), a leading {@code /}, empty segments
 * ({@code //}, and a trailing {@code /} in a key), {@code .} and {@code ..} segments, also percent-encoded
 * ({@code %2e%2E}, {@code .%2e}, double-encoded {@code %252e}), backslashes and control characters (C0, DEL,
 * C1, NUL included), also percent-encoded.
 */
public final class ObjectKeySyntax {

    /** S3's limit on the UTF-8 length of a key. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Enough to undo %25 layered on %25; more layers than this are refused outright. */
    private static final int MAX_DECODE_ROUNDS = 4;

    private ObjectKeySyntax() {
    }

    /** Why {@code key} is not a canonical object key, or empty if it is one. */
    public static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("the object key is empty");
        }
        if (key.endsWith("/")) {
            return Optional.of("object key '" + printable(key) + "' ends with '/' (an empty last segment)");
        }
        return problem(key, "object key", key);
    }

    /**
     * Why {@code prefix} is not a canonical list prefix, or empty if it is one. A prefix is a key cut anywhere: it
     * may be empty (the whole bucket) or end with {@code /}, but no complete or partial segment may be a dot
     * segment ({@code domains/a/..} is refused as well as {@code domains/a/../}).
     */
    public static Optional<String> prefixProblem(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return Optional.empty();
        }
        String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (body.isEmpty()) {
            return Optional.of("list prefix '/' starts with '/' (an empty first segment)");
        }
        return problem(body, "list prefix", prefix);
    }

    /** Throws {@link IllegalArgumentException} naming the problem if {@code key} is not canonical. */
    public static String requireCanonicalKey(String key) {
        keyProblem(key).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        return key;
    }

    /** Checks {@code value}; messages quote {@code original} (the prefix with its trailing '/', if any). */
    private static Optional<String> problem(String value, String what, String original) {
        String shown = printable(original);
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.of(what + " '" + shown.substring(0, Math.min(60, shown.length())) + "…' is longer than "
                    + MAX_KEY_BYTES + " UTF-8 bytes");
        }
        Optional<String> character = forbiddenCharacter(value);
        if (character.isPresent()) {
            return Optional.of(what + " '" + shown + "' contains " + character.get());
        }
        if (value.startsWith("/")) {
            return Optional.of(what + " '" + shown + "' starts with '/' (an empty first segment)");
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of(what + " '" + shown + "' has an empty segment ('//')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of(what + " '" + shown + "' has a '" + segment + "' segment");
            }
            if (segment.indexOf('%') >= 0) {
                Optional<String> encoded = encodedProblem(segment);
                if (encoded.isPresent()) {
                    return Optional.of(what + " '" + shown + "' has a segment '" + segment + "' that " + encoded.get());
                }
            }
        }
        return Optional.empty();
    }

    /** Percent-decodes a segment layer by layer and refuses what any layer would turn into a path step. */
    private static Optional<String> encodedProblem(String segment) {
        String current = segment;
        for (int round = 0; round < MAX_DECODE_ROUNDS; round++) {
            String decoded = percentDecode(current);
            if (decoded.equals(current)) {
                return Optional.empty();
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                return Optional.of("decodes to '" + decoded + "'");
            }
            if (decoded.indexOf('/') >= 0) {
                return Optional.of("decodes to a '/'");
            }
            Optional<String> character = forbiddenCharacter(decoded);
            if (character.isPresent()) {
                return Optional.of("decodes to " + character.get());
            }
            current = decoded;
        }
        return Optional.of("is percent-encoded more than " + MAX_DECODE_ROUNDS + " times over");
    }

    /** Decodes %XY escapes (any case) byte-wise as UTF-8; a '%' not followed by two hex digits stays literal. */
    private static String percentDecode(String value) {
        byte[] in = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out[n++] = (byte) (hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out[n++] = in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    private static Optional<String> forbiddenCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                return Optional.of("a backslash");
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return Optional.of(String.format("the control character U+%04X", (int) c));
            }
        }
        return Optional.empty();
    }

    /** The value with control characters escaped, safe to put in a message or a log line. */
    private static String printable(String value) {
        StringBuilder shown = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.toString();
    }
}
