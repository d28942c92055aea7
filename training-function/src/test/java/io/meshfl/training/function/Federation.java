package io.meshfl.training.function;

import static io.restassured.RestAssured.given;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.training.SyntheticDataProduct;
import io.meshfl.training.TestWeights;
import io.meshfl.training.model.Architecture;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sets up what a training trigger needs, through the real registry's API and the real bucket: a data product of
 * the test's domain, a model with its global model, the enrolment, and round 1 open.
 */
final class Federation {

    static final String PURPOSE = "churn-prediction";

    private final RegistryProcess registry;
    private final ObjectStore store;
    private final Path dir;

    Federation(RegistryProcess registry, ObjectStore store, Path dir) {
        this.registry = registry;
        this.store = store;
        this.dir = dir;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    RequestSpecification as(String token) {
        return given().baseUri(registry.baseUrl().toString()).header("Authorization", "Bearer " + token);
    }

    String governance() {
        return registry.issuer().governance();
    }

    String domainToken() {
        return registry.issuer().domain(DomainTestResource.domain);
    }

    /** Registers a data product whose schema declares {@code header} (label last) and uploads {@code csv}. */
    String dataProduct(List<String> header, String csv) {
        String id = unique("churn");
        String key = "domains/" + DomainTestResource.domain + "/products/" + id + ".csv";
        store.put(key, csv.getBytes(StandardCharsets.UTF_8), Map.of());
        StringBuilder properties = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            boolean label = i == header.size() - 1;
            properties.append("            - name: ").append(header.get(i)).append('\n')
                    .append("              logicalType: ").append(label ? "integer" : "number").append('\n');
            if (label) {
                properties.append("""
                                      customProperties:
                                        - property: label
                                          value: true
                        """);
            }
        }
        String descriptor = """
                apiVersion: v1.1.0
                kind: DataProduct
                id: %s
                name: Churn features
                version: "1.0.0"
                status: active
                domain: %s
                outputPorts:
                  - name: training
                    version: "1.0.0"
                    contract:
                      apiVersion: v3.0.2
                      kind: DataContract
                      id: %s-contract
                      version: "1.0.0"
                      status: active
                      servers:
                        - server: domain-bucket
                          type: s3
                          location: s3://%s/%s
                          format: csv
                      schema:
                        - name: churn
                          physicalType: table
                          properties:
                %scustomProperties:
                  - property: eligiblePurposes
                    value: [%s]
                """.formatted(id, DomainTestResource.domain, id, store.bucket(), key, properties, PURPOSE);
        as(domainToken()).contentType("application/yaml").body(descriptor.getBytes(StandardCharsets.UTF_8))
                .post("/data-products").then().statusCode(201);
        return id;
    }

    String dataProduct(SyntheticDataProduct product) {
        Path csv = product.writeCsv(dir.resolve(unique("product") + ".csv"));
        try {
            return dataProduct(product.header(), Files.readString(csv));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The data SHA-256 of each model's global model 1 as last uploaded. */
    private final Map<String, String> globalChecksums = new java.util.HashMap<>();

    /** Registers a model (SGD, 3 epochs) and uploads its global model 1 drawn from a seeded Gaussian. */
    String model(Architecture architecture, String extraPolicy) {
        String id = unique("model");
        String body = """
                {"id": "%s", "purpose": "%s",
                 "architecture": {"template": "%s", "inputs": %d, "hidden": %s, "outputs": %d},
                 "strategy": {"name": "fedavg", "params": {}},
                 "policy": {"minDomains": 1, "maxDomains": 10, "roundDeadlineSeconds": 600, "maxUpdateNorm": 1000.0%s},
                 "training": {"localEpochs": 3, "batchSize": 32, "learningRate": 0.05, "optimizer": "sgd", "seed": 7}}
                """.formatted(id, PURPOSE, architecture.template().id(), architecture.inputs(), architecture.hidden(),
                architecture.outputs(), extraPolicy);
        as(governance()).contentType(ContentType.JSON).body(body).post("/models").then().statusCode(201);
        uploadGlobal(id, TestWeights.gaussian(architecture, 42, 0.1));
        return id;
    }

    void uploadGlobal(String model, ModelWeights weights) {
        try {
            Path file = dir.resolve(unique("global") + ".safetensors");
            weights.write(file, Map.of());
            store.put(globalKey(model), file, Map.of());
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                globalChecksums.put(model, reader.dataSha256());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String globalKey(String model) {
        return "models/" + model + "/global/1.safetensors";
    }

    void enrol(String model, String dataProduct) {
        as(governance()).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s\"}".formatted(DomainTestResource.domain, dataProduct))
                .post("/models/" + model + "/enrolments").then().statusCode(201);
    }

    /** Opens round 1, recording the checksum of the global model last uploaded, as the governance does. */
    long openRound(String model) {
        return as(governance()).contentType(ContentType.JSON)
                .body("{\"globalModelChecksum\": \"%s\"}".formatted(globalChecksums.get(model)))
                .post("/models/" + model + "/rounds").then().statusCode(201)
                .extract().jsonPath().getLong("roundId");
    }

    /** A model with the domain enrolled on {@code product}'s data and round 1 open. */
    String trainable(Architecture architecture, SyntheticDataProduct product) {
        String model = model(architecture, "");
        enrol(model, dataProduct(product));
        openRound(model);
        return model;
    }
}
