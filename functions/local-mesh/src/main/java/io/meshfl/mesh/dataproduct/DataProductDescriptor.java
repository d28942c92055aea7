package io.meshfl.mesh.dataproduct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A domain's data product as an Open Data Product Standard (Bitol ODPS v1.1) descriptor whose output port
 * carries its contract in the Open Data Contract Standard (ODCS v3): the S3 server with location and format,
 * and the schema (numeric feature columns, the categorical label column with its classes). What federated
 * learning needs beyond the standards (eligible purposes, label column, row count) is in
 * {@code customProperties}, where both standards put extensions. The label column holds class indices; the class
 * names, in index order, are its {@code classes} custom property.
 */
public record DataProductDescriptor(
        String id,
        String name,
        String version,
        String domain,
        String purpose,
        String location,
        String format,
        List<String> featureColumns,
        String labelColumn,
        List<String> classes,
        List<String> eligiblePurposes,
        int rows) {

    public static final String ODPS_VERSION = "v1.1.0";
    public static final String ODCS_VERSION = "v3.0.2";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    public DataProductDescriptor {
        featureColumns = List.copyOf(featureColumns);
        classes = List.copyOf(classes);
        eligiblePurposes = List.copyOf(eligiblePurposes);
    }

    /** The descriptor as ordered maps, ready for YAML or JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("apiVersion", ODPS_VERSION);
        product.put("kind", "DataProduct");
        product.put("id", id);
        product.put("name", name);
        product.put("version", version);
        product.put("status", "active");
        product.put("domain", domain);
        product.put("description", ordered(
                "purpose", purpose,
                "limitations", "Tabular rows held by domain " + domain + " only: a non-IID share of the federation's"
                        + " data, not representative of the whole population.",
                "usage", "Federated training of the purposes listed in customProperties.eligiblePurposes; the rows"
                        + " never leave the domain, only model weights do."));
        product.put("outputPorts", List.of(outputPort()));
        product.put("customProperties", List.of(
                property("eligiblePurposes", eligiblePurposes),
                property("labelColumn", labelColumn),
                property("records", rows)));
        return product;
    }

    public String toYaml() {
        try {
            return YAML.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> outputPort() {
        Map<String, Object> port = ordered(
                "name", "rows",
                "description", "The data product's rows as " + format.toUpperCase(java.util.Locale.ROOT),
                "type", "tables",
                "version", version,
                "contractId", id + "-contract");
        port.put("location", location);
        port.put("format", format);
        port.put("contract", contract());
        return port;
    }

    private Map<String, Object> contract() {
        Map<String, Object> contract = ordered(
                "apiVersion", ODCS_VERSION,
                "kind", "DataContract",
                "id", id + "-contract",
                "version", version,
                "status", "active",
                "domain", domain);
        contract.put("servers", List.of(ordered(
                "server", domain + "-object-store",
                "type", "s3",
                "location", location,
                "format", format)));
        List<Object> properties = new ArrayList<>();
        for (String feature : featureColumns) {
            properties.add(ordered("name", feature, "logicalType", "number", "physicalType", "float",
                    "required", true));
        }
        // The label holds class indices 0…K−1 (names in the "classes" property, index order): a domain whose share
        // lacks a class still numbers the others as every other domain does.
        Map<String, Object> label = ordered("name", labelColumn, "logicalType", "integer", "physicalType", "int",
                "required", true);
        label.put("customProperties", List.of(property("label", true), property("classes", classes)));
        properties.add(label);
        contract.put("schema", List.of(ordered("name", "rows", "logicalType", "object", "physicalType", "table",
                "properties", properties)));
        return contract;
    }

    private static Map<String, Object> property(String name, Object value) {
        return ordered("property", name, "value", value);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
