package io.meshfl.registry.dataproduct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a data-product descriptor (Bitol ODPS v1.1, YAML or JSON) whose first output port carries an embedded
 * ODCS v3 contract, and reports every bad field by its path in the document.
 *
 * <p>FL-specific facts live in the product's {@code customProperties} ({@code eligiblePurposes},
 * {@code minRecords}, {@code privacyBudget}, {@code records}: how many records the product holds, the most examples
 * an update trained on it may claim); the label column is the schema property whose
 * {@code customProperties} hold {@code {property: label, value: true}}.
 *
 * <p>{@code entityKey} names the column that identifies an entity (a customer, an account) across domains: vertical
 * models align the parties' rows by it (private set intersection). It must be a column of the schema and not the
 * label. A product that declares one may mark no label column (a vertical party that holds features only).
 */
@ApplicationScoped
public class DescriptorParser {

    static final Pattern ODPS_VERSION = Pattern.compile("v1\\.1(\\.\\d+)?");
    static final Pattern ODCS_VERSION = Pattern.compile("v3(\\.\\d+){0,2}");
    static final Set<String> STATUSES = Set.of("proposed", "draft", "active", "deprecated", "retired");
    static final Set<String> FORMATS = Set.of("csv", "parquet");
    static final Set<String> LOGICAL_TYPES = Set.of("string", "date", "number", "integer", "object", "array", "boolean");

    /** YAML is a superset of JSON: one reader serves both media types. */
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public ParsedDescriptor parse(String text) {
        if (text == null || text.isBlank()) {
            throw Problem.invalid("descriptor", "is empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw Problem.invalid("descriptor", "must not contain a NUL character");
        }
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw Problem.invalid("descriptor", "is neither valid YAML nor JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (root == null || !root.isObject()) {
            throw Problem.invalid("descriptor", "must be a YAML or JSON object");
        }
        FieldErrors errors = new FieldErrors();
        String apiVersion = text(root, "apiVersion", errors);
        if (apiVersion != null && !ODPS_VERSION.matcher(apiVersion).matches()) {
            errors.add("apiVersion", "must be ODPS v1.1 (e.g. v1.1.0), was '" + apiVersion + "'");
        }
        String kind = text(root, "kind", errors);
        if (kind != null && !kind.equals("DataProduct")) {
            errors.add("kind", "must be DataProduct, was '" + kind + "'");
        }
        String id = text(root, "id", errors);
        ResourceIds.check("id", id, errors);
        String name = text(root, "name", errors);
        String version = text(root, "version", errors);
        String status = text(root, "status", errors);
        if (status != null && !STATUSES.contains(status)) {
            errors.add("status", "must be one of " + sorted(STATUSES));
        }
        String domain = text(root, "domain", errors);
        ResourceIds.check("domain", domain, errors);
        JsonNode description = root.path("description");
        if (!description.isMissingNode() && !description.isObject()) {
            errors.add("description", "must be an object {purpose, limitations, usage}");
        }

        Custom custom = customProperties(root.path("customProperties"), "customProperties", errors);
        List<String> purposes = custom.purposes();
        Port port = outputPort(root.path("outputPorts"), custom.entityKey() != null, errors);
        String entityKey = entityKey(custom, port, errors);
        if (domain != null && port.location() != null) {
            DataLocation.check(port.locationField(), port.location(), domain, errors);
        }
        errors.throwIfAny();
        return new ParsedDescriptor(id, name, version, status, domain, port.format(), port.location(), port.columns(),
                port.labelColumn(), purposes, custom.minRecords(), custom.privacyBudget(), custom.records(), entityKey);
    }

    private record Custom(List<String> purposes, Long minRecords, Double privacyBudget, Long records,
                          String entityKey, String entityKeyField) {
    }

    /** The declared entity key, checked against the schema's columns; null if none is declared or it is wrong. */
    private static String entityKey(Custom custom, Port port, FieldErrors errors) {
        String key = custom.entityKey();
        if (key == null || port.columns().isEmpty()) {
            return null;
        }
        List<String> names = port.columns().stream().map(ParsedDescriptor.Column::name).toList();
        if (!names.contains(key)) {
            errors.add(custom.entityKeyField(), "entityKey '" + key + "' is not a column of the schema "
                    + "(outputPorts[0].contract.schema[0].properties: " + names + ")");
            return null;
        }
        if (key.equals(port.labelColumn())) {
            errors.add(custom.entityKeyField(), "entityKey '" + key + "' is the label column; the entity key "
                    + "identifies rows, it is never a feature or a label");
            return null;
        }
        return key;
    }

    private record Port(String format, String location, String locationField, List<ParsedDescriptor.Column> columns,
                        String labelColumn) {
    }

    private static Custom customProperties(JsonNode node, String path, FieldErrors errors) {
        List<String> purposes = new ArrayList<>();
        Long minRecords = null;
        Double privacyBudget = null;
        Long records = null;
        String entityKey = null;
        String entityKeyField = null;
        if (!node.isArray()) {
            errors.add(path, "must be a list of {property, value} holding at least eligiblePurposes");
            return new Custom(purposes, null, null, null, null, null);
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String at = path + "[" + i + "]";
            String property = entry.path("property").asText(null);
            JsonNode value = entry.path("value");
            if (property == null) {
                errors.add(at + ".property", "is required");
                continue;
            }
            switch (property) {
                case "eligiblePurposes" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        errors.add(at + ".value", "eligiblePurposes must be a non-empty list of purposes");
                    } else {
                        value.forEach(p -> {
                            if (p.isTextual() && !p.asText().isBlank()) {
                                purposes.add(p.asText());
                            } else {
                                errors.add(at + ".value", "eligiblePurposes must hold non-blank strings");
                            }
                        });
                    }
                }
                case "minRecords" -> {
                    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
                        errors.add(at + ".value", "minRecords must be a non-negative integer");
                    } else {
                        minRecords = value.asLong();
                    }
                }
                case "records" -> {
                    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
                        errors.add(at + ".value", "records must be a non-negative integer (the rows the product holds)");
                    } else {
                        records = value.asLong();
                    }
                }
                case "privacyBudget" -> {
                    if (!value.isNumber() || !(value.asDouble() > 0) || !Double.isFinite(value.asDouble())) {
                        errors.add(at + ".value", "privacyBudget must be a positive number (ε)");
                    } else {
                        privacyBudget = value.asDouble();
                    }
                }
                case "entityKey" -> {
                    if (!value.isTextual() || value.asText().isBlank()) {
                        errors.add(at + ".value", "entityKey must name the column that identifies an entity");
                    } else {
                        entityKey = value.asText();
                        entityKeyField = at + ".value";
                    }
                }
                default -> {
                    // Other custom properties are the domain's own business; they stay in the stored descriptor.
                }
            }
        }
        if (purposes.isEmpty() && errors.isEmpty()) {
            errors.add(path, "must name the eligiblePurposes this product may train models for");
        }
        return new Custom(purposes, minRecords, privacyBudget, records, entityKey, entityKeyField);
    }

    private static Port outputPort(JsonNode ports, boolean labelOptional, FieldErrors errors) {
        Port none = new Port(null, null, null, List.of(), null);
        if (!ports.isArray() || ports.isEmpty()) {
            errors.add("outputPorts", "must list at least one output port");
            return none;
        }
        String at = "outputPorts[0]";
        JsonNode port = ports.get(0);
        text(port, "name", at, errors);
        JsonNode contract = port.path("contract");
        if (!contract.isObject()) {
            errors.add(at + ".contract", "must embed the port's ODCS v3 data contract");
            return none;
        }
        String contractAt = at + ".contract";
        String apiVersion = text(contract, "apiVersion", contractAt, errors);
        if (apiVersion != null && !ODCS_VERSION.matcher(apiVersion).matches()) {
            errors.add(contractAt + ".apiVersion", "must be ODCS v3 (e.g. v3.0.2), was '" + apiVersion + "'");
        }
        String kind = text(contract, "kind", contractAt, errors);
        if (kind != null && !kind.equals("DataContract")) {
            errors.add(contractAt + ".kind", "must be DataContract, was '" + kind + "'");
        }
        String[] server = s3Server(contract.path("servers"), contractAt + ".servers", errors);
        List<ParsedDescriptor.Column> columns = new ArrayList<>();
        String label = schema(contract.path("schema"), contractAt + ".schema", labelOptional, columns, errors);
        return new Port(server[0], server[1], server[2], columns, label);
    }

    /** Returns {format, location, the location's field path} of the contract's first s3 server. */
    private static String[] s3Server(JsonNode servers, String at, FieldErrors errors) {
        if (!servers.isArray()) {
            errors.add(at, "must list the s3 server holding the data");
            return new String[3];
        }
        for (int i = 0; i < servers.size(); i++) {
            JsonNode server = servers.get(i);
            if (!"s3".equals(server.path("type").asText())) {
                continue;
            }
            String serverAt = at + "[" + i + "]";
            String location = text(server, "location", serverAt, errors);
            if (location != null && !Pattern.matches("s3://[a-z0-9][a-z0-9.-]{1,62}/.+", location)) {
                errors.add(serverAt + ".location", "must be an s3://bucket/key location");
            }
            String format = text(server, "format", serverAt, errors);
            if (format != null && !FORMATS.contains(format)) {
                errors.add(serverAt + ".format", "must be csv or parquet, was '" + format + "'");
            }
            return new String[] {format, location, serverAt + ".location"};
        }
        errors.add(at, "must include a server of type s3 (location and format)");
        return new String[3];
    }

    private static String schema(JsonNode schema, String at, boolean labelOptional, List<ParsedDescriptor.Column> columns,
                                 FieldErrors errors) {
        if (!schema.isArray() || schema.isEmpty()) {
            errors.add(at, "must describe the port's table with its properties (columns)");
            return null;
        }
        JsonNode properties = schema.get(0).path("properties");
        String propertiesAt = at + "[0].properties";
        if (!properties.isArray() || properties.isEmpty()) {
            errors.add(propertiesAt, "must list the table's columns");
            return null;
        }
        Set<String> names = new HashSet<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < properties.size(); i++) {
            JsonNode property = properties.get(i);
            String columnAt = propertiesAt + "[" + i + "]";
            String name = text(property, "name", columnAt, errors);
            String logicalType = text(property, "logicalType", columnAt, errors);
            if (logicalType != null && !LOGICAL_TYPES.contains(logicalType)) {
                errors.add(columnAt + ".logicalType", "must be one of " + sorted(LOGICAL_TYPES));
            }
            if (name != null && !names.add(name)) {
                errors.add(columnAt + ".name", "duplicates column '" + name + "'");
            }
            if (name != null && isLabel(property)) {
                labels.add(name);
            }
            columns.add(new ParsedDescriptor.Column(name, logicalType));
        }
        if (labels.isEmpty() && labelOptional) {
            return null;
        }
        if (labels.size() != 1) {
            errors.add(propertiesAt, "must mark exactly one column as the label "
                    + "(customProperties: [{property: label, value: true}])"
                    + (labelOptional ? " or, with an entityKey, none" : "") + "; found " + labels.size());
            return null;
        }
        return labels.get(0);
    }

    private static boolean isLabel(JsonNode property) {
        for (JsonNode custom : property.path("customProperties")) {
            if ("label".equals(custom.path("property").asText()) && custom.path("value").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field, FieldErrors errors) {
        return text(node, field, null, errors);
    }

    private static String text(JsonNode node, String field, String parent, FieldErrors errors) {
        String path = parent == null ? field : parent + "." + field;
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            errors.add(path, "is required");
            return null;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            errors.add(path, "must be a string");
            return null;
        }
        return value.asText();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
