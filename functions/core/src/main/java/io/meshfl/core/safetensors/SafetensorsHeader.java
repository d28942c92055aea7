package io.meshfl.core.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON header of a safetensors file: the optional {@code __metadata__} string map and the tensors, listed
 * in data order (by {@code begin} offset). Parsing enforces what the format requires: known dtypes, byte
 * ranges that match dtype × shape, no overlap, no gap, and a data section exactly as long as the tensors.
 */
public record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors) {

    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    public SafetensorsHeader {
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** Length of the data section these tensors occupy. */
    public long dataLength() {
        return tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).end();
    }

    public Optional<TensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Parses header JSON and checks it against the length of the data section that follows it. Accepts what the
     * reference implementation (Hugging Face's safetensors) accepts and nothing more, so that no file means one
     * thing here and another to a PyTorch reader: strict UTF-8 (no overlong forms, no encoded surrogates, no
     * byte-order mark), exactly one JSON object starting at the first byte, followed by nothing but space (0x20)
     * padding, no duplicate keys, no unpaired surrogate escapes in names or metadata.
     */
    public static SafetensorsHeader parse(byte[] json, long dataLength) throws SafetensorsFormatException {
        String text = strictUtf8(json);
        if (text.startsWith("\uFEFF")) {
            throw new SafetensorsFormatException("header starts with a UTF-8 byte order mark; it must start with '{'");
        }
        if (!text.startsWith("{")) {
            throw new SafetensorsFormatException("header must start with '{', starts with "
                    + describe(text.isEmpty() ? -1 : text.codePointAt(0)));
        }
        JsonNode root;
        try (JsonParser parser = JSON.createParser(text)) {
            root = JSON.readTree(parser);
            int end = (int) parser.currentLocation().getCharOffset();
            for (int i = end; i < text.length(); i++) {
                if (text.charAt(i) != ' ') {
                    throw new SafetensorsFormatException("header has content after its JSON object at byte "
                            + utf8Length(text, i) + " (" + describe(text.codePointAt(i))
                            + "); only space (0x20) padding may follow");
                }
            }
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException("header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsFormatException("header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException("header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            requireScalarValues(field.getKey(), "tensor name");
            if (field.getKey().equals(METADATA_KEY)) {
                metadata.putAll(parseMetadata(field.getValue()));
            } else {
                tensors.add(parseTensor(field.getKey(), field.getValue()));
            }
        }
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkLayout(tensors, dataLength);
        return new SafetensorsHeader(metadata, tensors);
    }

    /** The header as JSON bytes, metadata first and tensors in data order, without alignment padding. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        for (TensorInfo tensor : tensors) {
            ObjectNode node = root.putObject(tensor.name());
            node.put("dtype", tensor.dtype().name());
            ArrayNode shape = node.putArray("shape");
            tensor.spec().shape().forEach(shape::add);
            node.putArray("data_offsets").add(tensor.begin()).add(tensor.end());
        }
        try {
            return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a header of plain strings and numbers", e);
        }
    }

    private static Map<String, String> parseMetadata(JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new SafetensorsFormatException(
                        METADATA_KEY + " value of '" + entry.getKey() + "' is not a string");
            }
            requireScalarValues(entry.getKey(), METADATA_KEY + " key");
            requireScalarValues(entry.getValue().textValue(), METADATA_KEY + " value of '" + entry.getKey() + "'");
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseTensor(String name, JsonNode node) throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(where + " is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(where + " has no dtype string");
        }
        Dtype dtype = Dtype.fromHeaderName(dtypeNode.textValue()).orElseThrow(() -> new SafetensorsFormatException(
                where + " has unsupported dtype '" + dtypeNode.textValue() + "' (MeshFL reads F32, F16, BF16, F64, I64)"));
        List<Long> shape = nonNegativeLongs(node.get("shape"), where + " shape", -1);
        List<Long> offsets = nonNegativeLongs(node.get("data_offsets"), where + " data_offsets", 2);
        TensorSpec spec;
        try {
            spec = new TensorSpec(name, dtype, shape);
            spec.byteSize();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SafetensorsFormatException(where + " shape " + shape + " is invalid or too large");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw new SafetensorsFormatException(where + " data_offsets end " + end + " is before begin " + begin);
        }
        if (end - begin != spec.byteSize()) {
            throw new SafetensorsFormatException(where + " data_offsets span " + (end - begin)
                    + " bytes but dtype " + dtype + " and shape " + shape + " need " + spec.byteSize());
        }
        return new TensorInfo(spec, begin, end);
    }

    private static List<Long> nonNegativeLongs(JsonNode node, String what, int requiredSize)
            throws SafetensorsFormatException {
        if (node == null || !node.isArray()) {
            throw new SafetensorsFormatException(what + " is missing or not an array");
        }
        if (requiredSize >= 0 && node.size() != requiredSize) {
            throw new SafetensorsFormatException(what + " must have " + requiredSize + " entries, has " + node.size());
        }
        List<Long> values = new ArrayList<>(node.size());
        for (JsonNode value : node) {
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new SafetensorsFormatException(what + " holds '" + value + "', not a non-negative integer");
            }
            values.add(value.longValue());
        }
        return values;
    }

    /** Decodes UTF-8 refusing what Rust's {@code str::from_utf8} refuses: malformed, overlong, surrogate, > U+10FFFF. */
    private static String strictUtf8(byte[] bytes) throws SafetensorsFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new SafetensorsFormatException("header is not valid UTF-8: invalid or overlong sequence at byte "
                    + in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /**
     * A JSON escape can name half a surrogate pair ({@code "\\ud800"}); the reference parser refuses it, and a name
     * holding one has no UTF-8 form to sign or compare.
     */
    private static void requireScalarValues(String value, String what) throws SafetensorsFormatException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new SafetensorsFormatException(what + " holds an unpaired surrogate escape (\\u"
                        + Integer.toHexString(c) + ") at character " + i);
            }
        }
    }

    private static String describe(int codePoint) {
        if (codePoint < 0) {
            return "nothing";
        }
        return codePoint >= 0x20 && codePoint < 0x7f
                ? "'" + Character.toString(codePoint) + "'"
                : String.format("U+%04X", codePoint);
    }

    private static int utf8Length(String text, int chars) {
        return text.substring(0, chars).getBytes(StandardCharsets.UTF_8).length;
    }

    private static void checkLayout(List<TensorInfo> sorted, long dataLength) throws SafetensorsFormatException {
        long expectedBegin = 0;
        for (TensorInfo tensor : sorted) {
            if (tensor.begin() < expectedBegin) {
                throw new SafetensorsFormatException("tensor '" + tensor.name() + "' data_offsets ["
                        + tensor.begin() + ", " + tensor.end() + ") overlap the previous tensor ending at " + expectedBegin);
            }
            if (tensor.begin() > expectedBegin) {
                throw new SafetensorsFormatException("tensor '" + tensor.name() + "' data_offsets begin at "
                        + tensor.begin() + ", leaving a gap after byte " + expectedBegin);
            }
            if (tensor.end() > dataLength) {
                throw new SafetensorsFormatException("tensor '" + tensor.name() + "' data_offsets end " + tensor.end()
                        + " is past the end of the data section (" + dataLength + " bytes): file truncated?");
            }
            expectedBegin = tensor.end();
        }
        if (expectedBegin != dataLength) {
            throw new SafetensorsFormatException("data section is " + dataLength + " bytes but the tensors cover "
                    + expectedBegin + " (trailing bytes)");
        }
    }
}
