package io.meshfl.registry.vertical;

import static io.meshfl.registry.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Registering vertical models: the parties' data products, entity keys, column sets and the label owner. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class VerticalModelTest {

    @Test
    void aDataProductDeclaresItsEntityKeyAndAFeaturesOnlyProductNeedsNoLabel() {
        VerticalParties parties = VerticalParties.create();

        as(Tokens.governance()).get("/data-products/" + parties.customersProduct()).then().statusCode(200)
                .body("entityKey", equalTo("customer_id"))
                .body("labelColumn", nullValue());
        as(Tokens.governance()).get("/data-products/" + parties.paymentsProduct()).then().statusCode(200)
                .body("entityKey", equalTo("customer_id"))
                .body("labelColumn", equalTo("fraud"));
    }

    @Test
    void anEntityKeyThatIsNoColumnOrIsTheLabelIsRefusedNamingTheField() {
        String domain = Fixtures.unique("keyless");
        Fixtures.domain(domain);
        String notAColumn = DataProductDescriptors.entityColumns(domain + "-p", domain, "p", "customer_id",
                List.of("amount"), "fraud").replace("value: customer_id", "value: account");
        String theLabel = DataProductDescriptors.entityColumns(domain + "-p", domain, "p", "customer_id",
                List.of("amount"), "fraud").replace("value: customer_id", "value: fraud");
        Map<String, Long> before = Fixtures.storedState();

        for (String descriptor : List.of(notAColumn, theLabel)) {
            as(Tokens.domain(domain)).contentType("application/yaml").body(Fixtures.yaml(descriptor))
                    .post("/data-products").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("customProperties[1].value"));
        }
        // Without an entity key a product still needs its label.
        String unlabelled = DataProductDescriptors.entityColumns(domain + "-p", domain, "p", "customer_id",
                List.of("amount"), null).replace("  - {property: entityKey, value: customer_id}\n", "");
        as(Tokens.domain(domain)).contentType("application/yaml").body(Fixtures.yaml(unlabelled))
                .post("/data-products").then().statusCode(400)
                .body("errors.field", hasItem("outputPorts[0].contract.schema[0].properties"));
        assertThat(Fixtures.storedState()).isEqualTo(before);
    }

    @Test
    void aHorizontalModelRefusesAProductWithoutLabels() {
        VerticalParties parties = VerticalParties.create();
        String model = Fixtures.unique("horizontal");
        Fixtures.model(model, VerticalParties.PURPOSE, 1);

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s\"}".formatted(parties.customers(),
                        parties.customersProduct()))
                .post("/models/" + model + "/enrolments").then().statusCode(400)
                .body("errors[0].field", equalTo("dataProduct"))
                .body("errors[0].message", containsString("marks no label column"));
    }

    @Test
    void registrationRecordsPartiesColumnsAndVersionsAndADomainSeesOnlyItsOwnColumns() {
        VerticalParties parties = VerticalParties.create();

        as(Tokens.governance()).contentType(ContentType.JSON).body(parties.json("governance", parties.payments()))
                .post("/vertical-models").then().statusCode(201)
                .header("Location", containsString("/vertical-models/" + parties.model()))
                .body("labelOwner", equalTo("governance"))
                .body("labelSource", equalTo(parties.payments()))
                .body("parties[0].columns", equalTo(List.of("amount", "hour")))
                .body("parties[0].dataProductVersion", equalTo("1.0.0"))
                .body("parties[1].columns", equalTo(List.of("age", "tenure")))
                .body("training.beta1", equalTo(0.9f))
                .body("training.optimizer", equalTo("adam"));

        as(Tokens.domain(parties.customers())).get("/vertical-models/" + parties.model()).then().statusCode(200)
                .body("parties[0].domain", equalTo(parties.payments()))
                .body("parties[0].columns", nullValue())
                .body("parties[0].dataProduct", nullValue())
                .body("parties[1].columns", equalTo(List.of("age", "tenure")));
        as(Tokens.function()).get("/vertical-models").then().statusCode(200)
                .body("find { it.id == '%s' }.parties[0].columns".formatted(parties.model()),
                        equalTo(List.of("amount", "hour")));
    }

    /**
     * Every bad definition is a 400 naming its field, and stores nothing: unknown domain, a product without an entity
     * key, a label owner that is no party, overlapping column sets, and the rest.
     */
    @Test
    void everyBadDefinitionIsRefusedNamingItsFieldAndStoresNothing() {
        VerticalParties parties = VerticalParties.create();
        String keyless = Fixtures.unique("keyless");
        Fixtures.domain(keyless);
        Fixtures.dataProduct(keyless + "-churn", keyless, VerticalParties.PURPOSE);
        String overlapping = Fixtures.unique("overlap");
        Fixtures.domain(overlapping);
        VerticalParties.product(overlapping, List.of("age", "income"), null);
        String otherPurpose = Fixtures.unique("elsewhere");
        Fixtures.domain(otherPurpose);
        as(Tokens.domain(otherPurpose)).contentType("application/yaml")
                .body(Fixtures.yaml(DataProductDescriptors.entityColumns(otherPurpose + "-p", otherPurpose, "marketing",
                        "customer_id", List.of("clicks"), null)))
                .post("/data-products").then().statusCode(201);
        String good = parties.json("governance", parties.payments());
        String customers = "{\"domain\": \"%s\", \"dataProduct\": \"%s\"}".formatted(parties.customers(),
                parties.customersProduct());
        Map<String, UnaryOperator<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("parties[1].domain", j -> j.replace(customers,
                "{\"domain\": \"nobody\", \"dataProduct\": \"%s\"}".formatted(parties.customersProduct())));
        cases.put("parties[1].dataProduct", j -> j.replace(customers,
                "{\"domain\": \"%s\", \"dataProduct\": \"%s-churn\"}".formatted(keyless, keyless)));
        cases.put("parties[1].dataProduct ", j -> j.replace(customers,
                "{\"domain\": \"%s\", \"dataProduct\": \"%s\"}".formatted(parties.customers(),
                        parties.paymentsProduct())));
        cases.put("parties[1].dataProduct  ", j -> j.replace(customers,
                "{\"domain\": \"%s\", \"dataProduct\": \"%s-p\"}".formatted(otherPurpose, otherPurpose)));
        cases.put("parties[1].dataProduct   ", j -> j.replace(customers,
                "{\"domain\": \"%s\", \"dataProduct\": \"nothing\"}".formatted(parties.customers())));
        cases.put("labelOwner", j -> j.replace("\"labelOwner\": \"governance\"", "\"labelOwner\": \"" + keyless + "\""));
        cases.put("labelSource", j -> j.replace("\"labelSource\": \"" + parties.payments() + "\"",
                "\"labelSource\": \"" + parties.customers() + "\""));
        cases.put("labelSource ", j -> j.replace(", \"labelSource\": \"" + parties.payments() + "\"", ""));
        cases.put("parties[2].columns", j -> j.replace(customers, customers
                + ", {\"domain\": \"%s\", \"dataProduct\": \"%s-p\"}".formatted(overlapping, overlapping)));
        cases.put("parties[1].columns[0]", j -> j.replace(customers, customers.replace("}",
                ", \"columns\": [\"customer_id\"]}")));
        cases.put("parties[1].columns[1]", j -> j.replace(customers, customers.replace("}",
                ", \"columns\": [\"age\", \"height\"]}")));
        cases.put("parties[1].domain ", j -> j.replace(customers, "{\"domain\": \"%s\", \"dataProduct\": \"%s\"}"
                .formatted(parties.payments(), parties.paymentsProduct())));
        cases.put("parties", j -> j.replace(", " + customers, ""));
        cases.put("architecture.head", j -> j.replace("\"head\": [16, 1]", "\"head\": [16, 2]"));
        cases.put("architecture.bottom[1]", j -> j.replace("\"bottom\": [16, 8]", "\"bottom\": [16, 0]"));
        cases.put("training.windows", j -> j.replace("\"windows\": 3, ", ""));
        cases.put("training.beta1", j -> j.replace("\"optimizer\": \"adam\"", "\"optimizer\": \"sgd\", \"beta1\": 0.5"));
        cases.put("training.learningRate", j -> j.replace("0.02", "1e-60"));
        cases.put("policy.roundDeadlineSeconds", j -> j.replace("{\"roundDeadlineSeconds\": 600}", "{}"));
        cases.put("id", j -> j.replace(parties.model(), "Upper/Case"));
        cases.put("psiSession", j -> j.replace("\"psiSession\": \"psi-1\"", "\"psiSession\": \"PSI/1\""));
        cases.put("headPublicKey", j -> j.replace(VerticalParties.HEAD_KEY, "bm90IGEga2V5"));
        cases.put("headPublicKey ", j -> j.replace(", \"headPublicKey\": \"" + VerticalParties.HEAD_KEY + "\"", ""));
        Map<String, Long> before = Fixtures.storedState();
        SoftAssertions softly = new SoftAssertions();

        for (var bad : cases.entrySet()) {
            String body = bad.getValue().apply(good);
            softly.assertThat(body).as("case " + bad.getKey() + " changes the body").isNotEqualTo(good);
            var response = as(Tokens.governance()).contentType(ContentType.JSON).body(body).post("/vertical-models");
            softly.assertThat(response.statusCode()).as(bad.getKey() + ": " + response.asString()).isEqualTo(400);
            softly.assertThat(response.contentType()).as(bad.getKey()).startsWith("application/problem+json");
            softly.assertThat(response.jsonPath().getList("errors.field", String.class)).as(bad.getKey() + ": "
                    + response.asString()).contains(bad.getKey().strip());
        }
        softly.assertThat(Fixtures.storedState()).isEqualTo(before);
        softly.assertAll();
    }

    @Test
    void aPartysNewProductVersionMustKeepWhatTheModelReads() {
        VerticalParties parties = VerticalParties.create().registeredWithLabelSharing();
        String customers = parties.customers();
        String payments = parties.payments();
        Map<String, Long> before = Fixtures.storedState();

        String withoutKey = DataProductDescriptors.entityColumns(customers + "-p", customers, VerticalParties.PURPOSE,
                "customer_id", List.of("age", "tenure"), "churned")
                .replace("  - {property: entityKey, value: customer_id}\n", "");
        String withoutAge = DataProductDescriptors.entityColumns(customers + "-p", customers, VerticalParties.PURPOSE,
                "customer_id", List.of("tenure"), null);
        String withoutLabel = DataProductDescriptors.entityColumns(payments + "-p", payments, VerticalParties.PURPOSE,
                "customer_id", List.of("amount", "hour"), null);
        for (var bad : List.of(List.of(customers, withoutKey, "customProperties"),
                List.of(customers, withoutAge, "outputPorts[0].contract.schema[0].properties"),
                List.of(payments, withoutLabel, "outputPorts[0].contract.schema[0].properties"))) {
            as(Tokens.domain(bad.get(0))).contentType("application/yaml").body(Fixtures.yaml(bad.get(1)))
                    .post("/data-products").then().statusCode(400)
                    .body("errors.field", hasItem(bad.get(2)))
                    .body("errors.message", hasItem(containsString("vertical model '" + parties.model() + "'")));
        }
        assertThat(Fixtures.storedState()).isEqualTo(before);

        // A new version that keeps them (and adds a column) is fine.
        as(Tokens.domain(customers)).contentType("application/yaml")
                .body(Fixtures.yaml(DataProductDescriptors.entityColumns(customers + "-p", customers,
                        VerticalParties.PURPOSE, "customer_id", List.of("age", "tenure", "region"), null)))
                .post("/data-products").then().statusCode(200);
    }

    @Test
    void horizontalAndVerticalModelsShareOneIdSpace() {
        VerticalParties parties = VerticalParties.create().registeredWithLabelSharing();
        String horizontal = Fixtures.unique("taken");
        Fixtures.model(horizontal, VerticalParties.PURPOSE, 1);
        Map<String, Long> before = Fixtures.storedState();

        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(parties.model(), VerticalParties.PURPOSE, "fedavg", 1))
                .post("/models").then().statusCode(409).contentType("application/problem+json");
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body(parties.json("governance", parties.payments()).replace(parties.model(), horizontal))
                .post("/vertical-models").then().statusCode(409).contentType("application/problem+json");
        as(Tokens.governance()).contentType(ContentType.JSON).body(parties.json("governance", parties.payments()))
                .post("/vertical-models").then().statusCode(409);
        assertThat(Fixtures.storedState()).isEqualTo(before);
    }

    @Test
    void onlyTheGovernanceRegistersAVerticalModel() {
        VerticalParties parties = VerticalParties.create();

        for (String token : List.of(Tokens.function(), Tokens.domain(parties.payments()))) {
            as(token).contentType(ContentType.JSON).body(parties.json("governance", parties.payments()))
                    .post("/vertical-models").then().statusCode(403).contentType("application/problem+json");
        }
        assertThat(Fixtures.count("vertical_model WHERE id = ?", parties.model())).isZero();
    }
}
