package io.meshfl.registry;

import static io.restassured.RestAssured.given;

import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.EmbeddedPostgresServer;
import io.meshfl.testing.RoundTime;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.UUID;

/** Builds a small federation through the API, with ids unique to each test so tests never collide. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    public static String ed25519PublicKey() {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void domain(String id) {
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("""
                        {"id": "%s", "name": "Domain %s", "owner": "data@%s.example.org", "publicKey": "%s"}
                        """.formatted(id, id, id, ed25519PublicKey()))
                .post("/domains").then().statusCode(201);
    }

    /** REST Assured sends bytes as they are; it has no encoder for application/yaml text. */
    public static byte[] yaml(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static void dataProduct(String productId, String domain, String purpose) {
        as(Tokens.domain(domain)).contentType("application/yaml")
                .body(yaml(DataProductDescriptors.churn(productId, domain, "1.0.0", purpose)))
                .post("/data-products").then().statusCode(201);
    }

    public static String modelJson(String id, String purpose, String strategy, int minDomains) {
        return """
                {"id": "%s", "purpose": "%s",
                 "architecture": {"layers": [{"name": "01Linear_weight", "shape": [2, 3]}, {"name": "01Linear_bias", "shape": [2]}]},
                 "strategy": {"name": "%s", "params": {}},
                 "policy": {"minDomains": %d, "maxDomains": 10, "roundDeadlineSeconds": 600, "maxUpdateNorm": 100.0,
                            "fedproxMu": 0.01},
                 "training": {"localEpochs": 2, "batchSize": 16, "learningRate": 0.05, "optimizer": "sgd", "seed": 7}}
                """.formatted(id, purpose, strategy, minDomains);
    }

    public static void model(String id, String purpose, int minDomains) {
        as(Tokens.governance()).contentType(ContentType.JSON).body(modelJson(id, purpose, "fedavg", minDomains))
                .post("/models").then().statusCode(201);
    }

    public static void enrol(String model, String domain, String product) {
        as(Tokens.governance()).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s\"}".formatted(domain, product))
                .post("/models/" + model + "/enrolments").then().statusCode(201);
    }

    /** Registers a model from its JSON definition. */
    public static void model(String id, String json) {
        as(Tokens.governance()).contentType(ContentType.JSON).body(json).post("/models").then().statusCode(201);
    }

    /** A model with {@code domains} enrolled domains and its round 1 open; returns the round id. */
    public static long federation(String model, int minDomains, String... domains) {
        model(model, "churn-prediction", minDomains);
        return openWith(model, domains);
    }

    /** Enrols new {@code domains} (each with a data product) in the registered model and opens its round 1. */
    public static long openWith(String model, String... domains) {
        for (String domain : domains) {
            domain(domain);
            dataProduct(domain + "-churn", domain, "churn-prediction");
            enrol(model, domain, domain + "-churn");
        }
        return as(Tokens.governance()).contentType(ContentType.JSON).body("{}")
                .post("/models/" + model + "/rounds").then().statusCode(201)
                .extract().jsonPath().getLong("roundId");
    }

    public static String updateJson(String model, int round, String domain, String etag, long examples) {
        return """
                {"domain": "%s", "objectKey": "models/%s/rounds/%d/updates/%s.safetensors", "etag": "%s",
                 "sha256": "%s", "numExamples": %d, "baseRound": %d, "metrics": {"loss": 0.5},
                 "status": "ACCEPTED"}
                """.formatted(domain, model, round, domain, etag, "ab".repeat(32), examples, round);
    }

    public static void acceptedUpdate(long roundId, String model, int round, String domain, long examples) {
        as(Tokens.function()).contentType(ContentType.JSON)
                .body(updateJson(model, round, domain, "etag-" + domain, examples))
                .post("/rounds/" + roundId + "/updates").then().statusCode(201);
    }

    /**
     * Every table's row count and every round's state and version, straight from PostgreSQL: what a refused request
     * must leave exactly as it was.
     */
    public static java.util.Map<String, Long> storedState() {
        java.util.Map<String, String> queries = new java.util.TreeMap<>();
        for (String table : java.util.List.of("domain", "data_product", "model", "enrolment", "round", "round_update",
                "model_version", "evaluation", "round_event_outbox", "vertical_model", "vertical_party",
                "vertical_round")) {
            queries.put(table + " rows", "SELECT count(*) FROM " + table);
        }
        queries.put("round versions", "SELECT coalesce(sum(version), 0) FROM round");
        queries.put("rounds not open", "SELECT count(*) FROM round WHERE state <> 'OPEN'");
        queries.put("vertical rounds not open", "SELECT count(*) FROM vertical_round WHERE state <> 'OPEN'");
        queries.put("domain contents", "SELECT coalesce(sum(hashtext(name || owner || status"
                + " || coalesce(public_key, ''))), 0) FROM domain");
        queries.put("data product contents", "SELECT coalesce(sum(hashtext(descriptor || updated_at::text)), 0)"
                + " FROM data_product");
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        java.util.Map<String, Long> state = new java.util.TreeMap<>();
        // One connection for the whole snapshot: the attack sweep takes two per request.
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            for (var query : queries.entrySet()) {
                try (PreparedStatement statement = connection.prepareStatement(query.getValue());
                     ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    state.put(query.getKey(), rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the stored state", e);
        }
        return state;
    }

    /** The round's deadline has passed on the database's clock (the registry's one clock): no sleeping. */
    public static void pastDeadline(long roundId) {
        RoundTime.pastDeadline(EmbeddedPostgresServer.shared().jdbcUrl(), roundId);
    }

    /** The lease of an AGGREGATING round has run out on the database's clock. */
    public static void leaseExpired(long roundId) {
        RoundTime.leaseExpired(EmbeddedPostgresServer.shared().jdbcUrl(), roundId);
    }

    /** Rows matching a condition, counted straight in PostgreSQL (not through the API under test). */
    public static long count(String sql, Object... parameters) {
        return scalar("SELECT count(*) FROM " + sql, parameters);
    }

    /** One number computed straight in PostgreSQL. */
    public static long scalar(String sql, Object... parameters) {
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot compute " + sql, e);
        }
    }
}
