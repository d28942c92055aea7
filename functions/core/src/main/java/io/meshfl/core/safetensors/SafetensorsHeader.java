package io.meshfl.core.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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

    /** Parses header JSON and checks it against the length of the data section that follows it. */
    public static SafetensorsHeader parse(byte[] json, long dataLength) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
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
