package io.meshfl.registry.vertical;

import static io.meshfl.registry.Fixtures.as;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.DataProductDescriptors;
import io.restassured.http.ContentType;
import java.util.List;

/**
 * A small vertical federation for these tests: {@code payments} holds {@code amount}, {@code hour} and the label
 * {@code fraud}; {@code customers} holds {@code age} and {@code tenure}; both key their rows by {@code customer_id}.
 * Ids are unique per call so tests never collide.
 */
public record VerticalParties(String model, String payments, String customers) {

    public static final String PURPOSE = "fraud-detection";
    /** The governance-side head's key of every model registered with label sharing. */
    public static final String HEAD_KEY = Fixtures.ed25519PublicKey();

    public static VerticalParties create() {
        VerticalParties parties = new VerticalParties(Fixtures.unique("vfraud"), Fixtures.unique("payments"),
                Fixtures.unique("customers"));
        Fixtures.domain(parties.payments);
        Fixtures.domain(parties.customers);
        product(parties.payments, List.of("amount", "hour"), "fraud");
        product(parties.customers, List.of("age", "tenure"), null);
        return parties;
    }

    public static void product(String domain, List<String> features, String label) {
        as(Tokens.domain(domain)).contentType("application/yaml")
                .body(Fixtures.yaml(DataProductDescriptors.entityColumns(domain + "-p", domain, PURPOSE, "customer_id",
                        features, label)))
                .post("/data-products").then().statusCode(201);
    }

    public String paymentsProduct() {
        return payments + "-p";
    }

    public String customersProduct() {
        return customers + "-p";
    }

    /** The model's definition with the label owner and source given, every other setting fixed. */
    public String json(String labelOwner, String labelSource) {
        return """
                {"id": "%s", "purpose": "%s",
                 "parties": [{"domain": "%s", "dataProduct": "%s"}, {"domain": "%s", "dataProduct": "%s"}],
                 "labelOwner": "%s"%s,
                 "architecture": {"bottom": [16, 8], "head": [16, 1]},
                 "policy": {"roundDeadlineSeconds": 600},
                 "training": {"batchSize": 128, "windows": 3, "seed": 42, "optimizer": "adam", "learningRate": 0.02},
                 "psiSession": "psi-1"%s}
                """.formatted(model, PURPOSE, payments, paymentsProduct(), customers, customersProduct(), labelOwner,
                labelSource == null ? "" : ", \"labelSource\": \"" + labelSource + "\"",
                "governance".equals(labelOwner) ? ", \"headPublicKey\": \"" + HEAD_KEY + "\"" : "");
    }

    /** Registers the model with the labels shared with the governance side (from payments). */
    public VerticalParties registeredWithLabelSharing() {
        register(json("governance", payments));
        return this;
    }

    /** Registers the model with payments owning labels and head. */
    public VerticalParties registeredWithoutLabelSharing() {
        register(json(payments, null));
        return this;
    }

    public static void register(String json) {
        as(Tokens.governance()).contentType(ContentType.JSON).body(json).post("/vertical-models").then()
                .statusCode(201);
    }

    /** Opens round 1 as the governance. */
    public VerticalParties opened() {
        as(Tokens.governance()).contentType(ContentType.JSON).body("{}")
                .post("/vertical-models/" + model + "/rounds").then().statusCode(201);
        return this;
    }
}
