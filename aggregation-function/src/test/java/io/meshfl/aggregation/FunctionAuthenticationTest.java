package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The HTTP binding answers only callers with a {@code function}-role token of the federation's issuer: in the local
 * mesh any local user can reach the port, and an event or a sweep is a command to the function.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class FunctionAuthenticationTest {

    private static final String PROBLEM = "application/problem+json";
    private static final List<String> ENTRY_POINTS = List.of("/aggregate", "/sweep");

    @InjectRegistry
    RegistryProcess registry;

    private static String body(String path) {
        return path.equals("/sweep") ? "{}"
                : DocumentedEvents.text(DocumentedEvents.load("aws-s3-test-event.json"));
    }

    @Test
    void aCallWithoutATokenIsRefusedWith401() {
        for (String path : ENTRY_POINTS) {
            given().contentType(ContentType.JSON).body(body(path))
                    .when().post(path)
                    .then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", "Bearer")
                    .body("status", equalTo(401)).body("detail", containsString("function role"));
        }
    }

    @Test
    void aDomainOrGovernanceTokenIsRefusedWith403() {
        for (String token : List.of(registry.issuer().domain("a"), registry.issuer().governance())) {
            for (String path : ENTRY_POINTS) {
                given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body(path))
                        .when().post(path)
                        .then().statusCode(403).contentType(PROBLEM).body("status", equalTo(403));
            }
        }
    }

    @Test
    void aFunctionTokenThatExpiredOrComesFromAnotherIssuerIsRefusedWith401() {
        Instant now = Instant.now();
        String expired = registry.issuer().mint(new LocalTokenIssuer.Claims(LocalTokenIssuer.FUNCTION,
                Set.of(LocalTokenIssuer.FUNCTION), null, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))));
        String foreign = LocalTokenIssuer.inDirectory(Path.of("target", "foreign-issuer-keys")).function();
        for (String token : List.of(expired, foreign, "not-a-jwt")) {
            for (String path : ENTRY_POINTS) {
                given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body(path))
                        .when().post(path)
                        .then().statusCode(401).contentType(PROBLEM).body("status", equalTo(401));
            }
        }
    }

    @Test
    void aFunctionTokenOfTheFederationsIssuerIsServed() {
        for (String path : ENTRY_POINTS) {
            asFunction(registry).contentType(ContentType.JSON).body(body(path))
                    .when().post(path)
                    .then().statusCode(200);
        }
    }

    @Test
    void requestHeadsOverTheLimitsAreRefusedWithAProblem() {
        // Over the documented limits, under Vert.x's own decoder limits (whose 414/431 have no body and no hook)
        asFunction(registry).header("X-Padding", "a".repeat(30 * 1024)).contentType(ContentType.JSON).body("{}")
                .when().post("/sweep")
                .then().statusCode(431).contentType(PROBLEM).body("status", equalTo(431))
                .body("detail", containsString("at most 20480"));
        asFunction(registry).contentType(ContentType.JSON).body("{}")
                .when().post("/sweep?x=" + "a".repeat(8_000))
                .then().statusCode(414).contentType(PROBLEM).body("status", equalTo(414));
    }

    @Test
    void healthProbesNeedNoToken() {
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
