package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.RoundTime;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sweeper's Lambda: the same build as the aggregation Lambda with {@code QUARKUS_FUNQY_EXPORT=sweep}, invoked by
 * a schedule whose event it ignores.
 */
@QuarkusTest
@TestProfile(LambdaSweepBindingTest.SweeperLambda.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("lambda")
class LambdaSweepBindingTest {

    /** What the sweeper Lambda's environment sets. */
    public static class SweeperLambda implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "sweep");
        }
    }

    /** The event of a scheduled EventBridge rule, as AWS documents it. */
    private static final String SCHEDULED_EVENT = """
            {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
             "source": "aws.events", "account": "123456789012", "time": "2026-12-02T12:00:00Z",
             "region": "eu-west-1", "resources": ["arn:aws:events:eu-west-1:123456789012:rule/meshfl-sweeper"],
             "detail": {}}""";

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void aScheduledEventRunsTheSweeperWhichExpiresARoundPastItsDeadline() {
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        RoundTime.pastDeadline(registry.jdbcUrl(), federation.roundId);

        JsonPath report = given().contentType(ContentType.JSON).body(SCHEDULED_EVENT)
                .when().post("/")
                .then().statusCode(200)
                .extract().jsonPath();

        List<Map<String, Object>> rounds = report.getList("rounds");
        assertThat(rounds).filteredOn(r -> ((Number) r.get("roundId")).longValue() == federation.roundId)
                .singleElement().satisfies(r -> assertThat(r).containsEntry("outcome", "EXPIRED"));
        assertThat(federation.currentRound().getInt("number")).isEqualTo(2);
    }
}
