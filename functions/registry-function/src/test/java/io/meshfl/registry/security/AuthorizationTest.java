package io.meshfl.registry.security;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.registry.security.RegistryEndpoints.Principal;
import io.meshfl.registry.vertical.VerticalParties;
import io.meshfl.testing.EmbeddedPostgresServer;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what: roles, a domain token bound to its own domain, and tokens that prove nothing. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class AuthorizationTest {

    private String model;
    private String mine;
    private String theirs;
    private long round;

    @BeforeEach
    void federation() {
        model = unique("authz");
        mine = unique("mine");
        theirs = unique("theirs");
        round = Fixtures.federation(model, 1, mine, theirs);
    }

    @Test
    void domainTokenCannotRegisterAnUpdateForAnotherDomainNorForItself() {
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body(Fixtures.updateJson(model, 1, theirs, "e", 10))
                .post("/rounds/" + round + "/updates")
                .then().statusCode(403).contentType("application/problem+json");
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body(Fixtures.updateJson(model, 1, mine, "e", 10))
                .post("/rounds/" + round + "/updates")
                .then().statusCode(403);

        assertThat(count("round_update WHERE round_id = ?", round)).isZero();
    }

    @Test
    void domainTokenCannotReadAnotherDomainsDataProductNorSeeItsLocation() {
        as(Tokens.domain(mine)).get("/data-products/" + theirs + "-churn")
                .then().statusCode(403)
                .body(not(containsString("s3://")));
        as(Tokens.domain(mine)).get("/data-products")
                .then().statusCode(200)
                .body("id", contains(mine + "-churn"));
        as(Tokens.domain(mine)).get("/models/" + model + "/enrolments")
                .then().statusCode(200)
                .body("domain", contains(mine));
        as(Tokens.domain(mine)).get("/models/" + model + "/rounds/current")
                .then().statusCode(200)
                .body(not(containsString("/domains/" + theirs + "/")));
        as(Tokens.domain(mine)).get("/data-products/" + mine + "-churn")
                .then().statusCode(200)
                .body("location", containsString("/domains/" + mine + "/"));
    }

    @Test
    void domainTokenCannotRegisterADataProductForAnotherDomain() {
        long before = count("data_product");

        as(Tokens.domain(mine)).contentType("application/yaml")
                .body(Fixtures.yaml(DataProductDescriptors.churn(unique("forged"), theirs, "1.0.0", "churn-prediction")))
                .post("/data-products")
                .then().statusCode(403);

        assertThat(count("data_product")).isEqualTo(before);
    }

    @Test
    void domainTokenCannotChangeAModel() {
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body(Fixtures.modelJson(unique("mine-model"), "churn-prediction", "fedavg", 1))
                .post("/models").then().statusCode(403);
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s-churn\"}".formatted(mine, mine))
                .post("/models/" + model + "/enrolments").then().statusCode(403);
        as(Tokens.domain(mine)).contentType(ContentType.JSON).body("{}")
                .post("/models/" + model + "/rounds").then().statusCode(403);
        as(Tokens.domain(mine)).contentType(ContentType.JSON).body("{}")
                .post("/rounds/" + round + "/close").then().statusCode(403);

        assertThat(count("round WHERE model_id = ? AND state = 'OPEN'", model)).isEqualTo(1);
    }

    @Test
    void domainTokenCannotReportMetricsForAnotherDomain() {
        as(Tokens.domain(mine)).contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"numExamples\": 5, \"metrics\": {\"loss\": 1.0}}".formatted(theirs))
                .post("/rounds/" + round + "/metrics").then().statusCode(403);

        assertThat(count("evaluation WHERE round_id = ?", round)).isZero();
    }

    @Test
    void domainNotEnrolledCannotReadTheCurrentRound() {
        String outsider = unique("outsider");
        Fixtures.domain(outsider);

        as(Tokens.domain(outsider)).get("/models/" + model + "/rounds/current").then().statusCode(403);
    }

    @Test
    void missingTokenIsUnauthorizedWithAProblem() {
        given().get("/models/" + model).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer")).body("status", equalTo(401));
        given().contentType(ContentType.JSON).body("{}").post("/rounds/" + round + "/close").then().statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"model\": \"%s\"}".formatted(model)).post("/currentRound")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void signedTokenWithADomainClaimThatIsNoDomainIdIsRefusedEverywhere() {
        for (String claim : List.of("[\"%s\", \"%s\"]".formatted(mine, theirs), "7", "{\"id\": \"%s\"}".formatted(mine),
                "\"%s\\u0000\"".formatted(mine))) {
            String odd = Tokens.domainWithRawClaim(claim);
            as(odd).get("/domains/" + mine).then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("'domain' claim"));
            as(odd).get("/models/" + model).then().statusCode(403).contentType("application/problem+json");
            as(odd).contentType(ContentType.JSON).body("{\"model\": \"%s\"}".formatted(model)).post("/currentRound")
                    .then().statusCode(200).body("ok", equalTo(false)).body("problem.status", equalTo(403));
        }
    }

    /**
     * The attack sweep: every endpoint of the registry against every kind of caller. Refusals are 401 (no valid token)
     * or 403 (wrong role, another domain, a malformed claim), as problem+json (HTML on the dashboard), and change
     * nothing stored; an allowed caller is never refused; nobody gets a 500.
     */
    @Test
    void everyEndpointRefusesEveryPrincipalItMustAndNeverFails(@TempDir Path strangerKeys) {
        String outsider = unique("outsider");
        Fixtures.domain(outsider);
        RegistryEndpoints.Federation federation = new RegistryEndpoints.Federation(model, mine, mine + "-churn", round);
        Map<Principal, String> tokens = new EnumMap<>(Principal.class);
        tokens.put(Principal.FORGED, LocalTokenIssuer.inDirectory(strangerKeys, Tokens.issuer().issuer()).governance());
        tokens.put(Principal.MALFORMED_CLAIM, Tokens.domainWithRawClaim("[\"%s\"]".formatted(mine)));
        tokens.put(Principal.GOVERNANCE, Tokens.governance());
        tokens.put(Principal.FUNCTION, Tokens.function());
        tokens.put(Principal.DOMAIN, Tokens.domain(mine));
        tokens.put(Principal.OUTSIDER, Tokens.domain(outsider));
        String vertical = VerticalParties.create().registeredWithLabelSharing().opened().model();
        List<RegistryEndpoints.Endpoint> endpoints = new java.util.ArrayList<>(RegistryEndpoints.all(federation));
        endpoints.addAll(RegistryEndpoints.vertical(vertical));
        SoftAssertions softly = new SoftAssertions();

        for (RegistryEndpoints.Endpoint endpoint : endpoints) {
            for (Principal principal : Principal.values()) {
                Map<String, Long> before = Fixtures.storedState();
                RequestSpecification request = principal == Principal.ANONYMOUS ? given() : as(tokens.get(principal));
                if (endpoint.body() != null) {
                    request = request.contentType(endpoint.contentType())
                            .body(endpoint.body().getBytes(StandardCharsets.UTF_8));
                }
                Response response = request.redirects().follow(false).request(endpoint.method(), endpoint.path());
                int status = effectiveStatus(endpoint, response);
                int expected = switch (principal) {
                    case ANONYMOUS, FORGED -> 401;
                    case MALFORMED_CLAIM -> 403;
                    default -> endpoint.allowed().contains(principal) ? 0 : 403;
                };
                String call = endpoint + " as " + principal + " -> " + response.statusCode() + " " + response.asString();
                softly.assertThat(response.statusCode()).as(call).isLessThan(500);
                if (expected == 0) {
                    softly.assertThat(status).as(call).isNotIn(401, 403);
                    continue;
                }
                softly.assertThat(status).as(call).isEqualTo(expected);
                softly.assertThat(response.contentType()).as(call).startsWith(
                        endpoint.kind() == RegistryEndpoints.Kind.DASHBOARD ? "text/html"
                                : endpoint.kind() == RegistryEndpoints.Kind.FUNQY && status == 403 ? "application/json"
                                : "application/problem+json");
                softly.assertThat(Fixtures.storedState()).as("stored state after " + call).isEqualTo(before);
            }
        }
        softly.assertAll();
    }

    /**
     * Review 5, finding 6: a vertical model's parties, label source and network are its parties' business. A domain
     * lists only the vertical models it is a party of and reads no other (403, as for their rounds); governance and
     * functions see every one.
     */
    @Test
    void aDomainListsAndReadsOnlyTheVerticalModelsItIsAPartyOf() {
        VerticalParties shared = VerticalParties.create().registeredWithLabelSharing();
        VerticalParties other = VerticalParties.create().registeredWithoutLabelSharing();
        String byId = "find { it.id == '%s' }";

        as(Tokens.domain(shared.customers())).get("/vertical-models").then().statusCode(200)
                .body(byId.formatted(shared.model()) + ".labelOwner", equalTo("governance"))
                .body(byId.formatted(other.model()), org.hamcrest.Matchers.nullValue());
        as(Tokens.domain(shared.customers())).get("/vertical-models/" + shared.model()).then().statusCode(200);
        as(Tokens.domain(shared.customers())).get("/vertical-models/" + other.model()).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("not a party"));
        as(Tokens.domain(mine)).get("/vertical-models").then().statusCode(200)
                .body(byId.formatted(shared.model()), org.hamcrest.Matchers.nullValue())
                .body(byId.formatted(other.model()), org.hamcrest.Matchers.nullValue());
        for (String token : List.of(Tokens.governance(), Tokens.function())) {
            as(token).get("/vertical-models").then().statusCode(200)
                    .body(byId.formatted(shared.model()) + ".id", equalTo(shared.model()))
                    .body(byId.formatted(other.model()) + ".id", equalTo(other.model()));
            as(token).get("/vertical-models/" + other.model()).then().statusCode(200);
        }
    }

    /**
     * Issue 16: a domain-owned head's scheduled sweep lists the due rounds with its domain token and sees only those
     * of the models whose head it runs (the rounds it may record an outcome for); governance and functions see all.
     */
    @Test
    void aDomainSeesOnlyTheDueVerticalRoundsOfTheModelsWhoseHeadItRuns() throws Exception {
        VerticalParties owned = VerticalParties.create().registeredWithoutLabelSharing().opened();
        VerticalParties shared = VerticalParties.create().registeredWithLabelSharing().opened();
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(),
                db.password()); java.sql.PreparedStatement moved = connection.prepareStatement("UPDATE vertical_round"
                + " SET deadline = clock_timestamp() - interval '1 second' WHERE model_id IN (?, ?)")) {
            moved.setString(1, owned.model());
            moved.setString(2, shared.model());
            assertThat(moved.executeUpdate()).isEqualTo(2);
        }
        String byModel = "find { it.model == '%s' }";

        as(Tokens.domain(owned.payments())).get("/vertical-rounds/due").then().statusCode(200)
                .body(byModel.formatted(owned.model()) + ".labelOwner", equalTo(owned.payments()))
                .body("model", org.hamcrest.Matchers.everyItem(equalTo(owned.model())));
        for (String party : List.of(owned.customers(), shared.payments(), shared.customers())) {
            as(Tokens.domain(party)).get("/vertical-rounds/due").then().statusCode(200)
                    .body("model", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItems(owned.model())))
                    .body("model", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItems(shared.model())));
        }
        as(Tokens.function()).get("/vertical-rounds/due").then().statusCode(200)
                .body("model", org.hamcrest.Matchers.hasItems(owned.model(), shared.model()));
    }

    /**
     * Review 5, finding 4: only the head's owner ends a vertical round. With the labels shared the head is the
     * governance side's (it records with a function token), so the label source's domain token is refused; without
     * label sharing the label-owning domain runs the head and records, and the other party is refused.
     */
    @Test
    void onlyTheHeadsOwnerRecordsAVerticalRoundsOutcome() {
        VerticalParties shared = VerticalParties.create().registeredWithLabelSharing().opened();
        VerticalParties owned = VerticalParties.create().registeredWithoutLabelSharing().opened();
        String completed = "{\"status\": \"COMPLETED\"}";
        Map<String, Long> before = Fixtures.storedState();

        for (String token : List.of(Tokens.domain(shared.payments()), Tokens.domain(shared.customers()))) {
            as(token).contentType(ContentType.JSON).body(completed)
                    .post("/vertical-models/" + shared.model() + "/rounds/1/outcome").then().statusCode(403)
                    .body("detail", containsString("head's owner ('governance'"));
        }
        as(Tokens.domain(owned.customers())).contentType(ContentType.JSON).body(completed)
                .post("/vertical-models/" + owned.model() + "/rounds/1/outcome").then().statusCode(403);
        assertThat(Fixtures.storedState()).isEqualTo(before);

        as(Tokens.domain(owned.payments())).contentType(ContentType.JSON).body(completed)
                .post("/vertical-models/" + owned.model() + "/rounds/1/outcome").then().statusCode(200)
                .body("recorded", equalTo(true));
        as(Tokens.function()).contentType(ContentType.JSON).body(completed)
                .post("/vertical-models/" + shared.model() + "/rounds/1/outcome").then().statusCode(200)
                .body("recorded", equalTo(true));
    }

    /** Funqy functions answer every authenticated call with HTTP 200 and put a refusal's status in the reply. */
    private static int effectiveStatus(RegistryEndpoints.Endpoint endpoint, Response response) {
        if (endpoint.kind() == RegistryEndpoints.Kind.FUNQY && response.statusCode() == 200
                && Boolean.FALSE.equals(response.jsonPath().get("ok"))) {
            return response.jsonPath().getInt("problem.status");
        }
        return response.statusCode();
    }

    @Test
    void expiredTokenIsUnauthorized() {
        Instant issued = Instant.now().minusSeconds(7200);
        String expired = Tokens.issuer().mint(new LocalTokenIssuer.Claims("governance", Set.of("governance"), null,
                issued, issued.plusSeconds(60)));

        as(expired).get("/models/" + model).then().statusCode(401);
    }

    @Test
    void tokenSignedByAnotherKeyIsUnauthorized(@TempDir Path otherKeys) {
        String forged = LocalTokenIssuer.inDirectory(otherKeys, Tokens.issuer().issuer()).governance();

        as(forged).get("/models/" + model).then().statusCode(401);
        as("not-a-jwt").get("/models/" + model).then().statusCode(401);
    }

    @Test
    void tokenOfAnotherIssuerIsUnauthorized() {
        var keysOfThisIssuer = Tokens.issuer().publicKeyPem().getParent();
        String stranger = LocalTokenIssuer.inDirectory(keysOfThisIssuer, "https://someone.else").governance();

        as(stranger).get("/models/" + model).then().statusCode(401);
    }
}
