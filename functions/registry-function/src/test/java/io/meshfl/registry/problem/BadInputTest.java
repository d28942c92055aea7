package io.meshfl.registry.problem;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input is refused with 400 problem+json naming the field, and nothing is written. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Long> rowCounts() {
        return Map.of("domain", count("domain"), "data_product", count("data_product"), "model", count("model"),
                "enrolment", count("enrolment"), "round", count("round"), "round_update", count("round_update"),
                "model_version", count("model_version"), "evaluation", count("evaluation"));
    }

    private static void unchanged(Map<String, Long> before) {
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void malformedYamlDescriptorIsRefused() {
        String domain = unique("shop");
        Fixtures.domain(domain);
        Map<String, Long> before = rowCounts();

        as(Tokens.domain(domain)).contentType("application/yaml")
                .body(Fixtures.yaml("apiVersion: v1.1.0\nkind: DataProduct\nid: [unclosed\n"))
                .post("/data-products")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("descriptor"))
                .body("errors[0].message", containsString("neither valid YAML nor JSON"));

        unchanged(before);
    }

    @Test
    void descriptorWithBadFieldsNamesEachOfThem() {
        String domain = unique("shop");
        Fixtures.domain(domain);
        String bad = DataProductDescriptors.churn(unique("p"), domain, "1.0.0", "churn-prediction")
                .replace("kind: DataProduct", "kind: Dataset")
                .replace("format: csv", "format: xlsx")
                .replaceFirst("logicalType: number", "logicalType: decimal");
        Map<String, Long> before = rowCounts();

        as(Tokens.domain(domain)).contentType("application/yaml").body(Fixtures.yaml(bad))
                .post("/data-products")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("kind", "outputPorts[0].contract.servers[0].format",
                        "outputPorts[0].contract.schema[0].properties[0].logicalType"));

        unchanged(before);
    }

    @Test
    void jsonDescriptorWithoutLabelOrPurposesIsRefused() {
        String domain = unique("shop");
        Fixtures.domain(domain);
        String json = """
                {"apiVersion": "v1.1.0", "kind": "DataProduct", "id": "p1", "name": "P", "version": "1", "status": "active",
                 "domain": "%s",
                 "outputPorts": [{"name": "train", "contract": {"apiVersion": "v3.0.2", "kind": "DataContract",
                   "servers": [{"server": "s", "type": "s3", "location": "s3://b/k.csv", "format": "csv"}],
                   "schema": [{"name": "t", "properties": [{"name": "x", "logicalType": "number"}]}]}}],
                 "customProperties": []}
                """.formatted(domain);
        Map<String, Long> before = rowCounts();

        as(Tokens.domain(domain)).contentType(ContentType.JSON).body(json)
                .post("/data-products")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("customProperties", "outputPorts[0].contract.schema[0].properties"));

        unchanged(before);
    }

    @Test
    void unknownStrategyIsRefused() {
        Map<String, Long> before = rowCounts();

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(unique("m"), "churn-prediction", "fedmagic", 1))
                .post("/models")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("strategy.name"))
                .body("errors.message", hasItem(containsString("unknown strategy 'fedmagic'")));

        unchanged(before);
    }

    @Test
    void modelWithImpossiblePolicyNamesEachField() {
        Map<String, Long> before = rowCounts();

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("""
                        {"id": "%s", "purpose": "p", "architecture": {"template": "mlp"},
                         "strategy": {"name": "dp-fedavg"},
                         "policy": {"minDomains": 0, "roundDeadlineSeconds": -5,
                                    "dp": {"clipNorm": 1.0, "noiseMultiplier": 1.1, "delta": 2.0, "epsilonBudget": 8}},
                         "training": {"batchSize": 0, "optimizer": "lbfgs", "featureScaling": "global"}}
                        """.formatted(unique("m")))
                .post("/models")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("policy.minDomains", "policy.roundDeadlineSeconds", "policy.dp.delta",
                        "training.batchSize", "training.optimizer", "training.featureScaling"));

        unchanged(before);
    }

    @Test
    void wronglyTypedJsonNamesTheField() {
        Map<String, Long> before = rowCounts();

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(unique("m"), "p", "fedavg", 1).replace("\"minDomains\": 1", "\"minDomains\": \"many\""))
                .post("/models")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("policy.minDomains"));

        unchanged(before);
    }

    @Test
    void negativeExampleCountIsRefused() {
        String model = unique("neg");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        Map<String, Long> before = rowCounts();

        as(Tokens.function()).contentType(ContentType.JSON)
                .body(Fixtures.updateJson(model, 1, domain, "e", -3))
                .post("/rounds/" + round + "/updates")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("numExamples"));

        unchanged(before);
    }

    @Test
    void roundNumberMismatchIsRefused() {
        String model = unique("mismatch");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        String wrongRound = Fixtures.updateJson(model, 1, domain, "e", 3).replace("\"baseRound\": 1", "\"baseRound\": 2");
        Map<String, Long> before = rowCounts();

        as(Tokens.function()).contentType(ContentType.JSON).body(wrongRound)
                .post("/rounds/" + round + "/updates")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("baseRound"))
                .body("errors.message", hasItem(containsString("round number mismatch")));

        unchanged(before);
    }

    @Test
    void completionThatDoesNotMatchTheRoundIsRefused() {
        String model = unique("complete");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 5);
        as(Tokens.function()).contentType(ContentType.JSON).body("{}").post("/rounds/" + round + "/close")
                .then().statusCode(200);
        Map<String, Long> before = rowCounts();

        as(Tokens.function()).contentType(ContentType.JSON)
                .body("""
                        {"globalModelKey": "models/%s/global/7.safetensors", "checksum": "c", "aggregatedFrom": ["stranger"]}
                        """.formatted(model))
                .post("/rounds/" + round + "/complete")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("globalModelKey", "aggregatedFrom[0]"));

        unchanged(before);
        assertThat(count("round WHERE id = ? AND state = 'AGGREGATING'", round)).isEqualTo(1);
    }

    @Test
    void enrolmentForAPurposeTheProductDoesNotAllowIsRefused() {
        String domain = unique("d");
        String model = unique("fraud");
        Fixtures.domain(domain);
        Fixtures.dataProduct(domain + "-churn", domain, "churn-prediction");
        Fixtures.model(model, "fraud-detection", 1);
        Map<String, Long> before = rowCounts();

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s-churn\"}".formatted(domain, domain))
                .post("/models/" + model + "/enrolments")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("dataProduct"))
                .body("errors.message", hasItem(containsString("not approved for purpose 'fraud-detection'")));

        unchanged(before);
    }

    @Test
    void malformedJsonBodyIsAProblem() {
        Map<String, Long> before = rowCounts();

        as(Tokens.governance()).contentType(ContentType.JSON).body("{\"id\": ")
                .post("/models")
                .then().statusCode(400).contentType(PROBLEM);

        unchanged(before);
    }
}
