package io.meshfl.training.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Knative, as federation-knative deploys the governance-side head: the training package with
 * {@code QUARKUS_FUNQY_EXPORT=vertical}. The vertical sweep's PingSource event has the type
 * {@code dev.knative.sources.ping}, which this package maps to {@code train} (a domain's schedule) whatever the
 * path it is posted to; only the export sends it to {@code vertical}, which runs the deadline sweep.
 */
@QuarkusTest
@Tag("knative")
@TestProfile(KnativeVerticalHeadTest.ExportsVertical.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@QuarkusTestResource(DomainTestResource.class)
class KnativeVerticalHeadTest {

    /**
     * The head Service's QUARKUS_FUNQY_EXPORT. Without libtorch's start-up bean: the other Knative tests' application
     * loaded libtorch into this JVM already, a second class loader cannot load it again, and the sweep needs none.
     */
    public static class ExportsVertical implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "vertical",
                    "quarkus.arc.exclude-types", EngineStartup.class.getName());
        }
    }

    @Test
    void theVerticalSweepPingSourcesEventReachesTheSweepOfTheHeadThatExportsVertical() {
        // With a domain's token (this test's deployment) the registry lists the due rounds of the models whose head
        // that domain runs: none here, so the sweep settles nothing.
        given().header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", "dev.knative.sources.ping")
                .header("ce-source", "/apis/v1/namespaces/meshfl/pingsources/vertical-sweep")
                .contentType("application/json")
                .body("{\"sweep\": \"vertical-rounds\"}")
                .when().post("/")
                .then().statusCode(200)
                .header("ce-type", "meshfl.vertical.stepped")
                .body("objects", org.hamcrest.Matchers.empty());
    }

    @Test
    void theRegistrysRoundOpenedEventReachesTheVerticalStepsOfTheHeadThatExportsVertical() {
        // federation-knative's Trigger posts it to the head Service's root; the export takes every type and the
        // steps tell this one apart by its type: they ask the registry for the round, which has none.
        given().header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", "meshfl.vround.opened")
                .header("ce-source", "/meshfl/registry")
                .header("ce-subject", "undeclared/1")
                .contentType("application/json")
                .body("{\"model\": \"undeclared\", \"number\": 1, \"state\": \"OPEN\"}")
                .when().post("/")
                .then().statusCode(200)
                .body("objects[0].key", equalTo("vertical-models/undeclared/rounds/1"))
                .body("objects[0].action", equalTo("refused"))
                .body("objects[0].detail", containsString("The registry has no round 1 of vertical model 'undeclared'"));
    }
}
