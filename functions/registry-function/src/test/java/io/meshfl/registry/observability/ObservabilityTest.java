package io.meshfl.registry.observability;

import static io.meshfl.registry.Fixtures.as;
import static io.meshfl.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the Prometheus metrics follow what the registry does. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class ObservabilityTest {

    @Test
    void openApiDocumentsTheContractEndpoints() {
        given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body(containsString("/rounds/{roundId}/close"))
                .body(containsString("/models/{id}/rounds/current"))
                .body(containsString("/data-products"))
                .body(containsString("SecurityScheme"));
    }

    @Test
    void metricsCountUpdatesOpenRoundsAndCloseLatency() {
        double acceptedBefore = metric("meshfl_updates_total\\{status=\"accepted\"\\}");
        double rejectedBefore = metric("meshfl_updates_total\\{status=\"rejected\"\\}");
        double closedBefore = metric("meshfl_round_close_latency_seconds_count");
        String model = unique("metrics");
        String a = unique("a");
        String b = unique("b");
        long round = Fixtures.federation(model, 1, a, b);
        double openWithRound1 = metric("meshfl_rounds_open");

        Fixtures.acceptedUpdate(round, model, 1, a, 5);
        as(Tokens.function()).contentType(ContentType.JSON)
                .body(Fixtures.updateJson(model, 1, b, "e", 5)
                        .replace("\"status\": \"ACCEPTED\"", "\"status\": \"REJECTED\", \"reason\": \"NaN in weights\""))
                .post("/rounds/" + round + "/updates").then().statusCode(201);
        as(Tokens.function()).contentType(ContentType.JSON).body("{}").post("/rounds/" + round + "/close")
                .then().statusCode(200);
        double openWhileAggregating = metric("meshfl_rounds_open");
        as(Tokens.function()).contentType(ContentType.JSON)
                .body("{\"globalModelKey\": \"models/%s/global/2.safetensors\", \"checksum\": \"c\", \"aggregatedFrom\": [\"%s\"]}"
                        .formatted(model, a))
                .post("/rounds/" + round + "/complete").then().statusCode(200);

        assertThat(metric("meshfl_updates_total\\{status=\"accepted\"\\}")).isEqualTo(acceptedBefore + 1);
        assertThat(metric("meshfl_updates_total\\{status=\"rejected\"\\}")).isEqualTo(rejectedBefore + 1);
        assertThat(metric("meshfl_round_close_latency_seconds_count")).isEqualTo(closedBefore + 1);
        assertThat(openWhileAggregating).isEqualTo(openWithRound1 - 1);
        assertThat(metric("meshfl_rounds_open")).isEqualTo(openWithRound1);
    }

    private static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(text);
        return value.find() ? Double.parseDouble(value.group(1)) : 0.0;
    }
}
