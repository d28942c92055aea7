package io.meshfl.registry.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasLength;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Set;
import org.assertj.core.util.DoubleComparator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's pages over HTTP, on a federation trained through the registry's API. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class DashboardPagesTest {

    private static final String COOKIE = "meshfl_dashboard";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DoubleComparator CLOSE = new DoubleComparator(1e-9);
    private static TrainedModel trained;

    /** Once for all tests, but inside the first one: the application is not listening yet in @BeforeAll. */
    @BeforeEach
    void trainAModelOnce() {
        if (trained == null) {
            trained = TrainedModel.withCompletedRounds(3);
        }
    }

    private static RequestSpecification session() {
        return given().cookie(COOKIE, Tokens.governance());
    }

    private static Document page(String path) {
        Response response = session().get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
        return Jsoup.parse(response.asString());
    }

    @Test
    void theOverviewListsDomainsDataProductsAndModels() {
        Document page = page("/dashboard");

        assertThat(page.title()).isEqualTo("Federation · MeshFL");
        assertThat(page.select("#models a[href=/dashboard/models/" + trained.id() + "]")).hasSize(1);
        Element modelRow = page.selectFirst("#models a[href=/dashboard/models/" + trained.id() + "]").closest("tr");
        // Three rounds completed: round 4 is open; three domains enrolled; fedavg with a quorum of 2.
        assertThat(modelRow.select("td").eachText()).containsExactly("churn-prediction", "fedavg", "2", "3", "4", "OPEN");
        for (String domain : new String[] {trained.a(), trained.b(), trained.c()}) {
            Element row = page.selectFirst("#domains a[href=/dashboard/domains/" + domain + "]").closest("tr");
            assertThat(row.select("td").eachText()).contains("Domain " + domain, "ACTIVE");
            assertThat(page.select("#data-products th:containsOwn(" + domain + "-churn)")).hasSize(1);
        }
    }

    @Test
    void theModelPageShowsRoundsWithTheirUpdatesAndDurations() {
        Document page = page("/dashboard/models/" + trained.id());

        var rows = page.select("#rounds tbody tr");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).select("th, td").eachText().subList(0, 2)).containsExactly("1", "CLOSED");
        // Round 2: a and b accepted, c rejected.
        assertThat(rows.get(1).select("td").get(4).text()).isEqualTo("2");
        assertThat(rows.get(1).select("td").get(5).text()).isEqualTo("1");
        assertThat(rows.get(1).select("td").get(3).text()).endsWith(" s");
        assertThat(rows.get(3).select("th, td").eachText().subList(0, 2)).containsExactly("4", "OPEN");
        assertThat(rows.get(3).select("td").get(3).text()).isEqualTo("running");
        // Round 1's recorded aggregation plan; the others were aggregated by one invocation.
        assertThat(rows.get(0).select("td").get(7).text()).isEqualTo("2 shards × fan-in 10, depth 3, 7 invocations");
        assertThat(rows.get(1).select("td").get(7).text()).isEqualTo("one invocation");
    }

    @Test
    void theModelPageChartsTheWeightedHoldOutMetricsPerRound() throws Exception {
        Document page = page("/dashboard/models/" + trained.id());

        JsonNode accuracy = JSON.readTree(page.getElementById("accuracy-chart").attr("data-chart"));
        assertThat(accuracy.get("metric").asText()).isEqualTo("accuracy");
        assertThat(accuracy.get("labels")).extracting(JsonNode::asText)
                .containsExactly("after round 1", "after round 2", "after round 3");
        // (100·a + 300·b) / 400 = 0.725 + 0.05r (TrainedModel's table).
        JsonNode federation = accuracy.get("series").get(0);
        assertThat(federation.get("label").asText()).isEqualTo(MetricChart.FEDERATION);
        assertThat(federation.get("values")).extracting(JsonNode::asDouble)
                .usingElementComparator(CLOSE).containsExactly(0.775, 0.825, 0.875);
        assertThat(accuracy.get("series")).extracting(s -> s.get("label").asText())
                .containsExactlyInAnyOrder(MetricChart.FEDERATION, trained.a(), trained.b());

        JsonNode loss = JSON.readTree(page.getElementById("loss-chart").attr("data-chart"));
        assertThat(loss.get("series").get(0).get("values")).extracting(JsonNode::asDouble)
                .usingElementComparator(CLOSE).containsExactly(0.45, 0.35, 0.25);
        // The same numbers as a table, for readers who cannot see the chart.
        assertThat(page.select("#accuracy-chart").first().closest("figure").select("table td").eachText())
                .containsExactly("0.7750", "0.8250", "0.8750");
        // Chart.js from the web jar, no CDN.
        assertThat(page.select("script[src]").eachAttr("src"))
                .containsExactly("/webjars/chart.js/dist/chart.umd.js", "/dashboard/assets/charts.js");
    }

    @Test
    void theModelPageShowsContributionsRejectionsAndTheCurrentModelsLineage() {
        Document page = page("/dashboard/models/" + trained.id());

        Element a = page.selectFirst("#contributions a[href=/dashboard/domains/" + trained.a() + "]").closest("tr");
        // a: 3 accepted updates of 1000 examples; its latest report says 0.65 + 0.05·3 = 80.0 %.
        assertThat(a.select("td").eachText()).containsExactly(trained.a() + "-churn", "3", "0", "3000", "80.0 %");
        Element c = page.selectFirst("#contributions a[href=/dashboard/domains/" + trained.c() + "]").closest("tr");
        assertThat(c.select("td").eachText()).containsExactly(trained.c() + "-churn", "0", "1", "0", "—");

        // Text from the registry is escaped, never markup: the reason's '>' arrives as an entity.
        assertThat(page.selectFirst("#rejected tbody").html()).contains("412.5 &gt; 100.0");
        var rejected = page.select("#rejected tbody tr");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).select("th, td").eachText().subList(0, 3))
                .containsExactly("2", trained.c(), TrainedModel.REJECTION);

        assertThat(page.selectFirst("#lineage caption").text())
                .contains("Global model 4", "models/" + trained.id() + "/global/4.safetensors", "round 3");
        assertThat(page.select("#lineage tbody th").eachText()).containsExactlyInAnyOrder(trained.a(), trained.b());
        assertThat(page.select("#lineage tbody td").eachText())
                .contains(trained.a() + "-churn", "1.0.0", "1000", "models/" + trained.id() + "/rounds/3/updates/" + trained.a() + ".safetensors");
    }

    @Test
    void theDomainPageShowsItsProductsModelsAndUpdates() {
        Document page = page("/dashboard/domains/" + trained.c());

        assertThat(page.selectFirst("h1").text()).isEqualTo("Domain " + trained.c() + " " + trained.c());
        assertThat(page.select("#data-products tbody th").eachText()).containsExactly(trained.c() + "-churn");
        assertThat(page.select("#data-products tbody td").eachText())
                .contains("s3://meshfl/domains/" + trained.c() + "/products/churn.csv", "csv", "churned", "100");
        assertThat(page.selectFirst("#participation tbody tr").select("th, td").eachText())
                .containsExactly(trained.id(), trained.c() + "-churn", "0", "1", "0");
        var updates = page.select("#updates tbody tr");
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).select("td").eachText())
                .containsExactly(trained.id(), "2", "REJECTED", "2000", TrainedModel.REJECTION);
    }

    @Test
    void withoutAValidTokenEveryPageAnswers401WithAnExplanation() {
        LocalTokenIssuer issuer = Tokens.issuer();
        Instant past = Instant.now().minusSeconds(7200);
        String expired = issuer.mint(new LocalTokenIssuer.Claims("governance-admin", Set.of(LocalTokenIssuer.GOVERNANCE),
                null, past, past.plusSeconds(60)));
        String forged = LocalTokenIssuer.inDirectory(java.nio.file.Path.of(
                System.getProperty("meshfl.test.work-dir", "target/test-work"), "other-issuer")).governance();
        for (String path : new String[] {"/dashboard", "/dashboard/models/" + trained.id(), "/dashboard/domains/" + trained.a()}) {
            for (RequestSpecification request : new RequestSpecification[] {given(), given().cookie(COOKIE, "not-a-jwt"),
                    given().cookie(COOKIE, expired), given().cookie(COOKIE, forged)}) {
                request.redirects().follow(false).get(path)
                        .then().statusCode(401)
                        .contentType(startsWith("text/html"))
                        .body(allOf(containsString("Sign in to the dashboard"), containsString("/dashboard/login?code="),
                                not(containsString(trained.id()))));
            }
        }
    }

    @Test
    void aDomainTokenIsRefusedWith403() {
        given().cookie(COOKIE, Tokens.domain(trained.a())).get("/dashboard/domains/" + trained.a())
                .then().statusCode(403)
                .contentType(startsWith("text/html"))
                .body(containsString("Governance only"));
    }

    @Test
    void anUnknownModelOrDomainIsA404Page() {
        Response model = session().get("/dashboard/models/no-such-model");
        assertThat(model.statusCode()).isEqualTo(404);
        assertThat(model.contentType()).startsWith("text/html");
        assertThat(Jsoup.parse(model.asString()).select("main p").eachText()).contains("No model 'no-such-model'");
        Response domain = session().get("/dashboard/domains/no-such-domain");
        assertThat(domain.statusCode()).isEqualTo(404);
        assertThat(Jsoup.parse(domain.asString()).select("main p").eachText()).contains("No domain 'no-such-domain'");
    }

    @Test
    void theLoginLinkExchangesAOneTimeCodeForAStrictHttpOnlyCookieAndOpensTheOverview() {
        String token = Tokens.governance();
        String loginPath = Fixtures.as(token).post("/dashboard/login/codes").then().statusCode(200)
                .body("code", hasLength(43)).extract().path("loginPath");
        assertThat(loginPath).startsWith("/dashboard/login?code=").doesNotContain(token);

        Response login = given().redirects().follow(false).get(loginPath);

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.header("Location")).endsWith("/dashboard");
        var cookie = login.detailedCookie(COOKIE);
        assertThat(cookie.getValue()).isEqualTo(token);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(cookie.getPath()).isEqualTo("/dashboard");
        // The cookie ends with the token (12 hours by default).
        assertThat(cookie.getMaxAge()).isBetween(11L * 3600, 12L * 3600);
        given().cookie(COOKIE, cookie.getValue()).get("/dashboard").then().statusCode(200)
                .body(containsString(trained.id()));
    }

    @Test
    void aLoginCodeWorksOnceAndATokenInTheLinkIsRefusedWithoutSettingACookie() {
        String loginPath = Fixtures.as(Tokens.governance()).post("/dashboard/login/codes").then().statusCode(200)
                .extract().path("loginPath");
        given().redirects().follow(false).get(loginPath).then().statusCode(303);

        given().redirects().follow(false).get(loginPath)
                .then().statusCode(401).contentType(startsWith("text/html"))
                .body(containsString("used already or expired")).header("Set-Cookie", nullValue());
        given().redirects().follow(false).queryParam("code", "guessed").get("/dashboard/login")
                .then().statusCode(401).header("Set-Cookie", nullValue());
        given().redirects().follow(false).get("/dashboard/login")
                .then().statusCode(401).body(containsString("has no code")).header("Set-Cookie", nullValue());
        given().redirects().follow(false).queryParam("token", Tokens.governance()).get("/dashboard/login")
                .then().statusCode(400).body(containsString("no longer carry tokens")).header("Set-Cookie", nullValue());
    }

    @Test
    void onlyTheGovernanceGetsLoginCodes() {
        Fixtures.as(Tokens.domain(trained.a())).post("/dashboard/login/codes").then().statusCode(403);
        given().post("/dashboard/login/codes").then().statusCode(401);
    }

    @Test
    void theApiStillTakesBearerTokensInTheAuthorizationHeader() {
        Fixtures.as(Tokens.governance()).get("/models/" + trained.id()).then().statusCode(200);
        given().get("/models/" + trained.id()).then().statusCode(401);
    }

    @Test
    void theStylesheetScriptAndChartJsAreServedWithoutAToken() {
        given().get("/dashboard/assets/dashboard.css").then().statusCode(200).contentType(startsWith("text/css"));
        given().get("/dashboard/assets/charts.js").then().statusCode(200).body(containsString("data-chart"));
        given().get("/webjars/chart.js/dist/chart.umd.js").then().statusCode(200)
                .body(containsString("Chart.js v4.4.1"));
        // Nothing the pages load comes from another origin: they work offline.
        String html = session().get("/dashboard/models/" + trained.id()).asString();
        assertThat(Jsoup.parse(html).select("[src], link[href]"))
                .allSatisfy(element -> assertThat(element.attr("src") + element.attr("href")).startsWith("/"));
        assertThat(html).doesNotContain("cdn");
    }
}
