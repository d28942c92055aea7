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
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Bad input is refused with 400 problem+json naming the field, and nothing is written. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Long> rowCounts() {
        return Fixtures.storedState();
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

    /** One hostile request: what it sends, and the status and field it must be refused with. */
    private record BadRequest(String name, String token, String method, String path, String contentType, String body,
                              int status, String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static BadRequest bad(String name, String token, String method, String path, String body, int status,
                                  String field) {
        return new BadRequest(name, token, method, path, body == null ? null : "application/json", body, status, field);
    }

    /**
     * The bad-input corpus: ids that are no ids (NUL bytes, upper case, 64 characters, path segments), numbers of the
     * wrong type or range, non-finite numbers, impossible shapes, wrong content types and malformed bodies. Each is
     * refused with problem+json naming what was wrong, none is a 500, and nothing stored changes.
     */
    private static List<BadRequest> corpus(String model, String domain, long round) {
        String governance = Tokens.governance();
        String function = Tokens.function();
        String long64 = "a".repeat(64);
        String update = Fixtures.updateJson(model, 1, domain, "e", 3);
        String modelJson = Fixtures.modelJson("%s", "p", "fedavg", 1);
        return List.of(
                bad("NUL in a model id", governance, "GET", "/models/a%00b", null, 400, "id"),
                bad("NUL in a domain id", governance, "GET", "/domains/a%00b", null, 400, "id"),
                bad("NUL in a data product id", governance, "GET", "/data-products/a%00b", null, 400, "id"),
                bad("NUL in an enrolments path", governance, "GET", "/models/a%00b/enrolments", null, 400, "id"),
                bad("NUL in a domain change", governance, "PATCH", "/domains/a%00b", "{\"name\": \"x\"}", 400, "id"),
                bad("NUL in a round's model", governance, "POST", "/models/a%00b/rounds", "{}", 400, "id"),
                bad("NUL in a current round", function, "GET", "/models/a%00b/rounds/current", null, 400, "id"),
                bad("64-character model id", governance, "GET", "/models/" + long64, null, 400, "id"),
                bad("upper-case domain id", governance, "GET", "/domains/Sales", null, 400, "id"),
                bad("NUL in a body id", governance, "POST", "/domains",
                        "{\"id\": \"a\\u0000b\", \"name\": \"n\", \"owner\": \"o\"}", 400, "id"),
                bad("NUL in a name", governance, "POST", "/domains",
                        "{\"id\": \"%s\", \"name\": \"n\\u0000\", \"owner\": \"o\"}".formatted(unique("d")), 400, "name"),
                bad("slash in a body id", governance, "POST", "/domains",
                        "{\"id\": \"a/../b\", \"name\": \"n\", \"owner\": \"o\"}", 400, "id"),
                bad("enrolment naming no domain id", governance, "POST", "/models/" + model + "/enrolments",
                        "{\"domain\": \"Other Domain\", \"dataProduct\": \"x\"}", 400, "domain"),
                bad("update for no domain id", function, "POST", "/rounds/" + round + "/updates",
                        update.replace("\"domain\": \"" + domain + "\"", "\"domain\": \"../" + domain + "\""), 400, "domain"),
                bad("fractional numExamples", function, "POST", "/rounds/" + round + "/updates",
                        update.replace("\"numExamples\": 3", "\"numExamples\": 1.5"), 400, "numExamples"),
                bad("numExamples past a long", function, "POST", "/rounds/" + round + "/updates",
                        update.replace("\"numExamples\": 3", "\"numExamples\": 99999999999999999999"), 400, null),
                bad("infinite metric", function, "POST", "/rounds/" + round + "/updates",
                        update.replace("\"loss\": 0.5", "\"loss\": 1e400"), 400, "metrics.loss"),
                bad("infinite evaluation", Tokens.domain(domain), "POST", "/rounds/" + round + "/metrics",
                        "{\"domain\": \"%s\", \"numExamples\": 5, \"metrics\": {\"auc\": -1e400}}".formatted(domain), 400,
                        "metrics.auc"),
                bad("fractional minDomains", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("\"minDomains\": 1", "\"minDomains\": 1.5"), 400,
                        "policy.minDomains"),
                bad("deadline of 2^63-1 seconds", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("600", "9223372036854775807"), 400,
                        "policy.roundDeadlineSeconds"),
                bad("deadline of 1e13 seconds", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("600", "1e13"), 400, "policy.roundDeadlineSeconds"),
                bad("deadline past 30 days", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("600", "2592001"), 400, "policy.roundDeadlineSeconds"),
                bad("infinite norm bound", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("100.0", "1e400"), 400, "policy.maxUpdateNorm"),
                bad("layer of 2^62 parameters", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("[2, 3]", "[4611686018427387904]"), 400,
                        "architecture.layers[0].shape"),
                bad("layer past a long", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("[2, 3]", "[65536, 65536, 65536, 65536, 65536]"), 400,
                        "architecture.layers[0].shape"),
                bad("misspelled strategy parameter", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("\"fedavg\", \"params\": {}",
                                "\"fedavgm\", \"params\": {\"momentun\": 0.9}"), 400, "strategy.params.momentun"),
                bad("strategy parameter out of range", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("\"fedavg\", \"params\": {}",
                                "\"trimmed-mean\", \"params\": {\"beta\": 0.7}"), 400, "strategy.params.beta"),
                bad("strategy parameter that is no number", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("\"fedavg\", \"params\": {}",
                                "\"fedavgm\", \"params\": {\"momentum\": \"high\"}"), 400, "strategy.params.momentum"),
                bad("server-side noise around a strategy that is no mean", governance, "POST", "/models",
                        modelJson.formatted(unique("m")).replace("\"fedavg\", \"params\": {}", "\"median\", \"params\": {}")
                                .replace("\"fedproxMu\": 0.01", "\"fedproxMu\": 0.01, \"dp\": {\"clipNorm\": 1.0, "
                                        + "\"noiseMultiplier\": 1.1, \"delta\": 1e-5, \"epsilonBudget\": 8}"), 400,
                        "strategy.name"),
                new BadRequest("fail reason as text/plain", function, "POST", "/rounds/" + round + "/fail", "text/plain",
                        "because", 415, null),
                new BadRequest("model as text/plain", governance, "POST", "/models", "text/plain", "{}", 415, null),
                new BadRequest("domain as XML", governance, "POST", "/domains", "application/xml", "<domain id='x'/>", 415,
                        null),
                bad("malformed JSON to a Funqy function", function, "POST", "/failRound", "{\"roundId\": ", 400, null),
                bad("Funqy function input of the wrong type", function, "POST", "/failRound", "[1, 2]", 400, null),
                bad("Funqy round id that is no integer", function, "POST", "/failRound",
                        "{\"roundId\": 1.5, \"reason\": \"r\"}", 400, null),
                bad("Funqy model with a NUL byte", function, "POST", "/currentRound", "{\"model\": \"a\\u0000b\"}", 400, null),
                bad("Funqy model that is no id", function, "POST", "/currentRound", "{\"model\": \"../x\"}", 200, "model"),
                bad("a body larger than the registry accepts", governance, "POST", "/models",
                        "{\"id\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}", 413, null),
                bad("a path longer than the registry accepts", governance, "GET", "/models/" + "a".repeat(20_000), null, 414,
                        null));
    }

    @Test
    void everyRequestOfTheBadInputCorpusIsRefusedWithAProblemAndChangesNothing() {
        String model = unique("corpus");
        String domain = unique("d");
        long round = Fixtures.federation(model, 1, domain);
        SoftAssertions softly = new SoftAssertions();

        for (BadRequest bad : corpus(model, domain, round)) {
            Map<String, Long> before = rowCounts();
            RequestSpecification request = as(bad.token()).urlEncodingEnabled(false);
            if (bad.body() != null) {
                request = request.contentType(bad.contentType()).body(bad.body().getBytes(StandardCharsets.UTF_8));
            }
            Response response = request.request(bad.method(), bad.path());
            String what = bad + " -> " + response.statusCode() + " " + abbreviated(response.asString());
            softly.assertThat(response.statusCode()).as(what).isEqualTo(bad.status());
            if (bad.status() == 200) {
                // Funqy: the refusal is the reply's problem, the transport succeeded.
                softly.assertThat(json(response, "ok")).as(what).isEqualTo(false);
                softly.assertThat(json(response, "problem.status")).as(what).isEqualTo(400);
            } else {
                softly.assertThat(response.contentType()).as(what).startsWith(PROBLEM);
                softly.assertThat(json(response, "status")).as(what).isEqualTo(bad.status());
            }
            if (bad.field() != null) {
                String fields = String.valueOf(json(response, bad.status() == 200 ? "problem.errors.field" : "errors.field"));
                softly.assertThat(fields).as(what).contains(bad.field());
            }
            softly.assertThat(rowCounts()).as("stored state after " + what).isEqualTo(before);
        }
        softly.assertAll();
    }

    @Test
    void headersLargerThanTheRegistryAcceptsAreRefusedWithAProblem() {
        // 30 KiB of headers: over the documented 20 KiB, under the decoder's own limit (whose 431 has no body)
        Response response = as(Tokens.governance()).header("X-Padding", "a".repeat(30 * 1024)).get("/models");

        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.contentType()).startsWith(PROBLEM);
        assertThat(response.jsonPath().getInt("status")).isEqualTo(431);
        assertThat(response.jsonPath().getString("detail")).contains("at most 20480");
    }

    /** A member of a JSON answer, or null when the answer is not JSON at all. */
    private static Object json(Response response, String path) {
        try {
            return response.jsonPath().get(path);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    @Test
    void dataProductUnderAnotherDomainsPrefixIsRefused() {
        String mine = unique("mine");
        String theirs = unique("theirs");
        Fixtures.domain(mine);
        Fixtures.domain(theirs);
        String honest = DataProductDescriptors.churn(unique("p"), mine, "1.0.0", "churn-prediction");
        Map<String, Long> before = rowCounts();

        for (String location : List.of("s3://meshfl/domains/" + theirs + "/products/churn.csv",
                "s3://meshfl/domains/" + mine + "/../" + theirs + "/products/churn.csv",
                "s3://meshfl/domains/" + mine + "/%2e%2e/" + theirs + "/churn.csv",
                "s3://meshfl/domains//" + theirs + "/churn.csv")) {
            as(Tokens.domain(mine)).contentType("application/yaml")
                    .body(Fixtures.yaml(honest.replace("s3://meshfl/domains/" + mine + "/products/churn.csv", location)))
                    .post("/data-products")
                    .then().statusCode(400).contentType(PROBLEM)
                    .body("errors.field", hasItem("outputPorts[0].contract.servers[0].location"));
        }

        unchanged(before);
    }

    @Test
    void negativeOrFractionalRecordCountIsRefused() {
        String domain = unique("d");
        Fixtures.domain(domain);
        Map<String, Long> before = rowCounts();

        for (String records : List.of("-1", "1.5", "many")) {
            as(Tokens.domain(domain)).contentType("application/yaml")
                    .body(Fixtures.yaml(DataProductDescriptors.churn(unique("p"), domain, "1.0.0", "churn-prediction", 7)
                            .replace("value: 7", "value: " + records)))
                    .post("/data-products")
                    .then().statusCode(400).contentType(PROBLEM)
                    .body("errors.message", hasItem(containsString("records must be a non-negative integer")));
        }

        unchanged(before);
    }
}
