package io.meshfl.registry.vertical;

import static io.meshfl.registry.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.EmbeddedPostgresServer;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** Vertical rounds: the settings a function reads, the first outcome that wins, the next round and its lineage. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class VerticalRoundsTest {

    private static final String FAILED_AT_DEADLINE = """
            {"status": "FAILED", "window": 1, "missing": ["%s"],
             "reason": "vertical round 1 failed at its deadline: window 1 of 3 is still open, no embeddings from %s"}
            """;

    private static ValidatableResponse outcome(String token, String model, int round, String json) {
        return as(token).contentType(ContentType.JSON).body(json)
                .post("/vertical-models/" + model + "/rounds/" + round + "/outcome").then();
    }

    @Test
    void theCurrentRoundCarriesWhatAFunctionBuildsItsVerticalRoundFrom() {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing();

        as(Tokens.governance()).contentType(ContentType.JSON).body("{}")
                .post("/vertical-models/" + p.model() + "/rounds").then().statusCode(201)
                .body("number", equalTo(1))
                .body("state", equalTo("OPEN"));

        as(Tokens.function()).get("/vertical-models/" + p.model() + "/rounds/current").then().statusCode(200)
                .body("model", equalTo(p.model()))
                .body("number", equalTo(1))
                .body("parties", equalTo(List.of(p.customers(), p.payments()).stream().sorted().toList()))
                .body("labelOwner", equalTo("governance"))
                .body("windows", equalTo(3))
                .body("deadline", notNullValue())
                .body("baseVersion", equalTo(1))
                .body("startsFromRound", nullValue())
                .body("outcomeKey", equalTo("models/" + p.model() + "/vrounds/1/outcome.json"))
                .body("architecture.bottom", equalTo(List.of(16, 8)))
                .body("architecture.head", equalTo(List.of(16, 1)))
                .body("training.optimizer", equalTo("adam"))
                .body("training.learningRate", equalTo(0.02f))
                .body("training.batchSize", equalTo(128))
                .body("training.seed", equalTo(42))
                .body("party", nullValue());
        // A party reads its own data product; only the label source gets the label column.
        as(Tokens.domain(p.payments())).get("/vertical-models/" + p.model() + "/rounds/current").then()
                .statusCode(200)
                .body("party.dataProduct", equalTo(p.paymentsProduct()))
                .body("party.location", equalTo("s3://meshfl/domains/%s/products/%s.csv"
                        .formatted(p.payments(), p.paymentsProduct())))
                .body("party.entityKey", equalTo("customer_id"))
                .body("party.columns", equalTo(List.of("amount", "hour")))
                .body("party.labelColumn", equalTo("fraud"));
        as(Tokens.domain(p.customers())).get("/vertical-models/" + p.model() + "/rounds/1").then().statusCode(200)
                .body("party.columns", equalTo(List.of("age", "tenure")))
                .body("party.labelColumn", nullValue());
    }

    @Test
    void aRoundIsReadOnlyByItsPartiesAndOpenedOnceByTheGovernance() {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing();
        String outsider = Fixtures.unique("outsider");
        Fixtures.domain(outsider);

        as(Tokens.function()).get("/vertical-models/" + p.model() + "/rounds/current").then().statusCode(404)
                .contentType("application/problem+json");
        for (String token : List.of(Tokens.function(), Tokens.domain(p.payments()))) {
            as(token).contentType(ContentType.JSON).body("{}").post("/vertical-models/" + p.model() + "/rounds")
                    .then().statusCode(403);
        }
        p.opened();
        Map<String, Long> before = Fixtures.storedState();

        as(Tokens.governance()).contentType(ContentType.JSON).body("{}").post("/vertical-models/" + p.model()
                + "/rounds").then().statusCode(409).body("round.number", equalTo(1));
        for (String path : List.of("/rounds/current", "/rounds/1", "/rounds")) {
            as(Tokens.domain(outsider)).get("/vertical-models/" + p.model() + path).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        outcome(Tokens.domain(outsider), p.model(), 1, "{\"status\": \"COMPLETED\"}").statusCode(403);
        // With the labels shared, the head is the governance side's: a party records no outcome.
        outcome(Tokens.domain(p.payments()), p.model(), 1, "{\"status\": \"COMPLETED\"}").statusCode(403);
        as(Tokens.function()).get("/vertical-models/nothing-here/rounds/current").then().statusCode(404);
        assertThat(Fixtures.storedState()).isEqualTo(before);
    }

    @Test
    void theFirstOutcomeWinsAndOpensTheNextRoundFromTheLastCompletedState() {
        VerticalParties p = VerticalParties.create().registeredWithoutLabelSharing().opened();

        // Round 1 fails at its deadline: round 2 trains from the same (initial) state.
        outcome(Tokens.function(), p.model(), 1, FAILED_AT_DEADLINE.formatted(p.customers(), p.customers()))
                .statusCode(200)
                .body("recorded", equalTo(true))
                .body("round.state", equalTo("FAILED"))
                .body("round.failedWindow", equalTo(1))
                .body("round.missing", equalTo(List.of(p.customers())))
                .body("round.failureReason", containsString("no embeddings from " + p.customers()))
                .body("next.number", equalTo(2))
                .body("next.baseVersion", equalTo(1))
                .body("next.startsFromRound", nullValue());
        // The same outcome redelivered, and a late COMPLETED from the head, change nothing.
        outcome(Tokens.function(), p.model(), 1, FAILED_AT_DEADLINE.formatted(p.customers(), p.customers()))
                .statusCode(200).body("recorded", equalTo(false)).body("next.number", equalTo(2));
        outcome(Tokens.domain(p.payments()), p.model(), 1, "{\"status\": \"COMPLETED\", \"window\": 3}")
                .statusCode(200)
                .body("recorded", equalTo(false))
                .body("round.state", equalTo("FAILED"));

        // A new version of a party's product: rounds opened from now on train on it (the lineage names it).
        as(Tokens.domain(p.customers())).contentType("application/yaml").body(Fixtures.yaml(
                        DataProductDescriptors.entityColumns(p.customersProduct(), p.customers(), VerticalParties.PURPOSE,
                                "customer_id", List.of("age", "tenure"), null).replace("\"1.0.0\"", "\"2.0.0\"")))
                .post("/data-products").then().statusCode(200);

        // Round 2 completes (recorded by the head's owner, a domain without label sharing): version 2.
        outcome(Tokens.domain(p.payments()), p.model(), 2, "{\"status\": \"COMPLETED\", \"window\": 3}")
                .statusCode(200)
                .body("recorded", equalTo(true))
                .body("round.producedVersion", equalTo(2))
                .body("next.number", equalTo(3))
                .body("next.baseVersion", equalTo(2))
                .body("next.startsFromRound", equalTo(2));
        // Round 3 fails: round 4 still trains from round 2's states.
        outcome(Tokens.function(), p.model(), 3, FAILED_AT_DEADLINE.formatted(p.payments(), p.payments()))
                .statusCode(200)
                .body("next.baseVersion", equalTo(2))
                .body("next.startsFromRound", equalTo(2));

        as(Tokens.governance()).get("/vertical-models/" + p.model() + "/rounds").then().statusCode(200)
                .body("state", equalTo(List.of("FAILED", "COMPLETED", "FAILED", "OPEN")))
                .body("baseVersion", equalTo(List.of(1, 1, 2, 2)))
                .body("dataProductVersions.'" + p.customers() + "'", equalTo(List.of("1.0.0", "1.0.0", "2.0.0", "2.0.0")));
        as(Tokens.governance()).get("/vertical-models/" + p.model() + "/versions").then().statusCode(200)
                .body("version", equalTo(List.of(1, 2)))
                .body("producedByRound", equalTo(java.util.Arrays.asList(null, 2)))
                .body("trainedFrom", equalTo(java.util.Arrays.asList(null, 1)))
                .body("[1].dataProductVersions.'" + p.customers() + "'", equalTo("1.0.0"));
        as(Tokens.domain(p.payments())).get("/vertical-models/" + p.model() + "/versions").then().statusCode(403);
        as(Tokens.domain(p.customers())).get("/vertical-models/" + p.model() + "/rounds/current").then()
                .statusCode(200).body("number", equalTo(4)).body("state", equalTo("OPEN"));
        assertThat(Fixtures.count("vertical_round WHERE model_id = ?", p.model())).isEqualTo(4);
        // One event per change, in the change's transaction: repeated outcomes announce nothing.
        assertThat(Fixtures.count("round_event_outbox WHERE type = 'meshfl.vround.opened' AND subject LIKE ?",
                p.model() + "/%")).isEqualTo(4);
        assertThat(Fixtures.count("round_event_outbox WHERE type = 'meshfl.vround.failed' AND subject = ?",
                p.model() + "/1")).isEqualTo(1);
        assertThat(Fixtures.count("round_event_outbox WHERE type = 'meshfl.vround.completed' AND subject = ?",
                p.model() + "/2")).isEqualTo(1);
    }

    @Test
    void theDashboardShowsVerticalModelsTheirPartiesAndTheirRoundsLineage() {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing().opened();
        outcome(Tokens.function(), p.model(), 1, "{\"status\": \"COMPLETED\"}").statusCode(200);
        outcome(Tokens.function(), p.model(), 2, FAILED_AT_DEADLINE.formatted(p.customers(), p.customers()))
                .statusCode(200);

        Document overview = Jsoup.parse(given().cookie("meshfl_dashboard", Tokens.governance()).get("/dashboard")
                .then().statusCode(200).extract().asString());
        Element row = overview.selectFirst("#vertical-models a[href=/dashboard/vertical-models/" + p.model() + "]")
                .closest("tr");
        assertThat(row.select("td").eachText()).containsExactly(VerticalParties.PURPOSE, "2", "governance", "3",
                "OPEN");
        Document page = Jsoup.parse(given().cookie("meshfl_dashboard", Tokens.governance())
                .get("/dashboard/vertical-models/" + p.model()).then().statusCode(200).extract().asString());
        assertThat(page.select("#parties tbody tr").eachText()).containsExactly(
                p.payments() + " " + p.paymentsProduct() + " 1.0.0 amount, hour labels (shared with the governance side)",
                p.customers() + " " + p.customersProduct() + " 1.0.0 age, tenure features");
        List<List<String>> rounds = page.select("#rounds tbody tr").stream()
                .map(tr -> List.of(tr.child(0).text(), tr.child(1).text(), tr.child(5).text(), tr.child(6).text()))
                .toList();
        assertThat(rounds).containsExactly(
                List.of("1", "COMPLETED", "version 1 (initial)", "version 2"),
                List.of("2", "FAILED", "version 2 (round 1)", "—"),
                List.of("3", "OPEN", "version 2 (round 1)", "—"));
        assertThat(page.select("#rounds tbody tr").get(0).child(8).text()).contains(p.customers() + " 1.0.0");
        assertThat(page.select("#rounds tbody tr").get(1).child(7).text())
                .startsWith("window 1, missing " + p.customers() + ": vertical round 1 failed at its deadline");
        given().cookie("meshfl_dashboard", Tokens.domain(p.payments())).get("/dashboard/vertical-models/" + p.model())
                .then().statusCode(403).contentType(containsString("text/html"));
    }

    @Test
    void theSweeperGetsOpenRoundsPastTheirDeadlineWithTheirSettings() throws Exception {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing().opened();
        String path = "find { it.model == '%s' }".formatted(p.model());

        as(Tokens.function()).get("/vertical-rounds/due").then().statusCode(200).body(path, nullValue());
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement moved = connection.prepareStatement("UPDATE vertical_round SET deadline = "
                     + "clock_timestamp() - interval '1 second' WHERE model_id = ? AND number = 1")) {
            moved.setString(1, p.model());
            assertThat(moved.executeUpdate()).isEqualTo(1);
        }

        as(Tokens.function()).get("/vertical-rounds/due").then().statusCode(200)
                .body(path + ".number", equalTo(1))
                .body(path + ".windows", equalTo(3))
                .body(path + ".parties", equalTo(List.of(p.customers(), p.payments()).stream().sorted().toList()))
                .body(path + ".labelOwner", equalTo("governance"))
                .body(path + ".training.optimizer", equalTo("adam"));
        // A party's own sweep sees only rounds whose head it runs: this head is the governance side's.
        as(Tokens.domain(p.payments())).get("/vertical-rounds/due").then().statusCode(200).body(path, nullValue());
        outcome(Tokens.function(), p.model(), 1, FAILED_AT_DEADLINE.formatted(p.customers(), p.customers()))
                .statusCode(200).body("next.number", equalTo(2));
        as(Tokens.governance()).get("/vertical-rounds/due").then().statusCode(200).body(path, nullValue());
    }

    /**
     * Issue 16: each round records the keys it opened with, so a head key rotated between rounds verifies the next
     * round's signatures and never the earlier ones (whose outcome the next round's start reads).
     */
    @Test
    void aRotatedHeadKeyAppliesFromTheNextRoundWhileEachRoundKeepsTheKeyItOpenedWith() {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing().opened();
        String rotated = Fixtures.ed25519PublicKey();
        String first = "/vertical-models/" + p.model() + "/rounds/1";
        as(Tokens.governance()).get(first).then().statusCode(200)
                .body("psiSession", equalTo("psi-1"))
                .body("publicKeys.governance", equalTo(VerticalParties.HEAD_KEY))
                .body("publicKeys." + p.payments(), notNullValue());
        VerticalParties owned = VerticalParties.create().registeredWithoutLabelSharing();
        Map<String, Long> before = Fixtures.storedState();
        as(Tokens.governance()).contentType(ContentType.JSON).body("{\"headPublicKey\": \"bm90IGEga2V5\"}")
                .patch("/vertical-models/" + p.model()).then().statusCode(400)
                .body("errors[0].field", equalTo("headPublicKey"));
        as(Tokens.governance()).contentType(ContentType.JSON).body("{\"headPublicKey\": \"" + rotated + "\"}")
                .patch("/vertical-models/" + owned.model()).then().statusCode(400)
                .body("errors[0].message", containsString("signs with its registered domain key"));
        assertThat(Fixtures.storedState()).isEqualTo(before);
        as(Tokens.governance()).get("/vertical-models/" + p.model()).then()
                .body("headPublicKey", equalTo(VerticalParties.HEAD_KEY));
        as(Tokens.governance()).get("/vertical-models/" + owned.model()).then().body("headPublicKey", nullValue());

        as(Tokens.governance()).contentType(ContentType.JSON).body("{\"headPublicKey\": \"" + rotated + "\"}")
                .patch("/vertical-models/" + p.model()).then().statusCode(200)
                .body("headPublicKey", equalTo(rotated));
        as(Tokens.function()).get(first).then().body("publicKeys.governance", equalTo(VerticalParties.HEAD_KEY));
        outcome(Tokens.function(), p.model(), 1, "{\"status\": \"COMPLETED\"}").statusCode(200)
                .body("next.number", equalTo(2));
        as(Tokens.function()).get("/vertical-models/" + p.model() + "/rounds/2").then().statusCode(200)
                .body("publicKeys.governance", equalTo(rotated));
        as(Tokens.function()).get(first).then().body("publicKeys.governance", equalTo(VerticalParties.HEAD_KEY));
    }

    @Test
    void thePolicysRoundsStopTheModel() {
        VerticalParties p = VerticalParties.create();
        VerticalParties.register(p.json("governance", p.payments()).replace("\"roundDeadlineSeconds\": 600",
                "\"roundDeadlineSeconds\": 600, \"rounds\": 1"));
        p.opened();

        outcome(Tokens.function(), p.model(), 1, "{\"status\": \"COMPLETED\"}").statusCode(200)
                .body("recorded", equalTo(true))
                .body("round.producedVersion", equalTo(2))
                .body("next", nullValue());
        assertThat(Fixtures.count("vertical_round WHERE model_id = ?", p.model())).isEqualTo(1);
    }

    @Test
    void aBadOutcomeIsRefusedNamingItsFieldAndChangesNothing() {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing().opened();
        Map<String, String> cases = Map.of(
                "status", "{\"window\": 3}",
                "status ", "{\"status\": \"DONE\"}",
                "reason", "{\"status\": \"FAILED\", \"window\": 0, \"missing\": []}",
                "window", "{\"status\": \"FAILED\", \"window\": 3, \"missing\": [], \"reason\": \"r\"}",
                "window ", "{\"status\": \"COMPLETED\", \"window\": 2}",
                "missing[0]", "{\"status\": \"FAILED\", \"window\": 0, \"missing\": [\"nobody\"], \"reason\": \"r\"}",
                "missing", "{\"status\": \"COMPLETED\", \"missing\": [\"%s\"]}".formatted(p.customers()),
                "window  ", "{\"status\": \"FAILED\", \"missing\": [], \"reason\": \"r\"}");
        Map<String, Long> before = Fixtures.storedState();
        SoftAssertions softly = new SoftAssertions();

        for (var bad : cases.entrySet()) {
            var response = as(Tokens.function()).contentType(ContentType.JSON).body(bad.getValue())
                    .post("/vertical-models/" + p.model() + "/rounds/1/outcome");
            softly.assertThat(response.statusCode()).as(bad.getKey() + ": " + response.asString()).isEqualTo(400);
            softly.assertThat(response.jsonPath().getList("errors.field", String.class)).as(bad.getKey())
                    .contains(bad.getKey().strip());
        }
        outcome(Tokens.function(), p.model(), 9, "{\"status\": \"COMPLETED\"}").statusCode(404)
                .contentType("application/problem+json");
        softly.assertThat(Fixtures.storedState()).isEqualTo(before);
        softly.assertAll();
    }

    @Test
    void concurrentOutcomesRecordOneAndOpenOneNextRound() throws Exception {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing().opened();
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String json = i % 2 == 0 ? "{\"status\": \"COMPLETED\"}"
                    : FAILED_AT_DEADLINE.formatted(p.customers(), p.customers());
            calls.add(() -> outcome(Tokens.function(), p.model(), 1, json).statusCode(200)
                    .extract().path("recorded"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Boolean> recorded = new ArrayList<>();
        try {
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                recorded.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(recorded).containsOnlyOnce(true);
        assertThat(Fixtures.count("vertical_round WHERE model_id = ?", p.model())).isEqualTo(2);
        assertThat(Fixtures.count("vertical_round WHERE model_id = ? AND state <> 'OPEN'", p.model())).isEqualTo(1);
    }

    @Test
    void aScoringIsRecordedForAVersionARoundProducedAndItsFirstOutcomeWins() {
        VerticalParties p = VerticalParties.create().registeredWithLabelSharing().opened();
        String scorings = "/vertical-models/" + p.model() + "/scorings";
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        String good = "{\"session\": \"psi-1\", \"pseudonyms\": [\"" + b + "\", \"" + a + "\"]}";

        // No version to score with yet, then bad requests: each refused naming the field, nothing stored.
        as(Tokens.governance()).contentType(ContentType.JSON).body(good).post(scorings).then().statusCode(409)
                .body("detail", containsString("no version a round produced"));
        outcome(Tokens.function(), p.model(), 1, "{\"status\": \"COMPLETED\", \"window\": 3}").statusCode(200);
        for (String[] bad : List.of(
                new String[] {"{\"session\": \"psi-1\", \"pseudonyms\": []}", "no pseudonym to score"},
                new String[] {"{\"session\": \"psi-1\", \"pseudonyms\": [\"alice\"]}", "pseudonyms[0]"},
                new String[] {"{\"session\": \"psi-1\", \"pseudonyms\": [\"" + a + "\", \"" + a + "\"]}",
                    "named twice"},
                new String[] {"{\"session\": \"psi-1\", \"version\": 7, \"pseudonyms\": [\"" + a + "\"]}",
                    "has no version 7; completed rounds produced [2]"},
                new String[] {"{\"session\": \"psi-1\", \"version\": 1, \"pseudonyms\": [\"" + a + "\"]}",
                    "version 1 is the initial parameters"},
                new String[] {"{\"pseudonyms\": [\"" + a + "\"]}", "session"})) {
            as(Tokens.governance()).contentType(ContentType.JSON).body(bad[0]).post(scorings).then().statusCode(400)
                    .contentType("application/problem+json").body(containsString(bad[1]));
        }
        as(Tokens.domain(p.payments())).contentType(ContentType.JSON).body(good).post(scorings).then().statusCode(403);
        as(Tokens.governance()).contentType(ContentType.JSON).body(good).post("/vertical-models/nothing-here/scorings")
                .then().statusCode(404);
        assertThat(Fixtures.count("vertical_scoring WHERE model_id = ?", p.model())).isZero();

        // Recorded at the newest version, the request object the governance side writes handed back.
        String id = as(Tokens.governance()).contentType(ContentType.JSON).body(good).post(scorings).then()
                .statusCode(202)
                .body("version", equalTo(2))
                .body("round", equalTo(1))
                .body("count", equalTo(2))
                .body("state", equalTo("PENDING"))
                .body("request.version", equalTo(1))
                .body("request.round", equalTo(1))
                .body("request.session", equalTo("psi-1"))
                .body("request.pseudonyms", equalTo(List.of(a, b)))
                .extract().path("scoringId");
        String digest = io.meshfl.core.keys.ScoringDigest.of(p.model(), id, "psi-1", 1, List.of(a, b));
        as(Tokens.function()).get(scorings + "/" + id).then().statusCode(200)
                .body("digest", equalTo(digest))
                .body("requestKey", equalTo("models/" + p.model() + "/scorings/" + id + "/request.json"))
                .body("state", equalTo("PENDING"))
                .body("request", nullValue());
        as(Tokens.domain(p.payments())).get(scorings + "/" + id).then().statusCode(403);
        as(Tokens.function()).get(scorings + "/s-unknown").then().statusCode(404);

        // The head's outcome: a bad one is refused, the first good one wins, a later one changes nothing.
        as(Tokens.function()).contentType(ContentType.JSON).body("{\"status\": \"DONE\", \"scoresKey\": \"x\"}")
                .post(scorings + "/" + id + "/outcome").then().statusCode(400).body(containsString("scoresKey"));
        String scores = "models/" + p.model() + "/scorings/" + id + "/scores.safetensors";
        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"status\": \"DONE\", \"scoresKey\": \"" + scores + "\"}")
                .post(scorings + "/" + id + "/outcome").then().statusCode(200)
                .body("recorded", equalTo(true)).body("scoring.state", equalTo("DONE"));
        as(Tokens.function()).contentType(ContentType.JSON).body("{\"status\": \"FAILED\", \"reason\": \"late\"}")
                .post(scorings + "/" + id + "/outcome").then().statusCode(200)
                .body("recorded", equalTo(false)).body("scoring.state", equalTo("DONE"));
        as(Tokens.governance()).get(scorings + "/" + id).then().statusCode(200)
                .body("state", equalTo("DONE")).body("scoresKey", equalTo(scores)).body("reason", nullValue());
    }
}
