package io.meshfl.training.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.meshfl.training.SyntheticDataProduct;
import io.meshfl.training.model.Architecture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knative (Funqy Knative Events): the registry's {@code meshfl.round.opened} CloudEvent in binary mode, its data
 * the round as the registry publishes it; a domain's schedule, as its PingSource delivers it to {@code /train}; and an
 * object event of the aws-sqs IntegrationSource, which the vertical Trigger delivers to the vertical steps.
 */
@QuarkusTest
@Tag("knative")
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@QuarkusTestResource(DomainTestResource.class)
class KnativeRoundOpenedTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @TempDir
    Path dir;

    @Test
    void aRoundOpenedEventTrainsTheDomainAndAnswersWithATrainedEvent() {
        Federation federation = new Federation(registry, store, dir);
        String model = federation.trainable(Architecture.mlp(20, java.util.List.of(8), 2),
                SyntheticDataProduct.classification(500, 20, 4));
        String key = "models/" + model + "/rounds/1/updates/" + DomainTestResource.domain + ".safetensors";

        roundOpened(model)
                .then().statusCode(200)
                .header("ce-type", "meshfl.training.trained")
                .body("updateKey", equalTo(key))
                .body("trained", equalTo(true));

        assertThat(store.head(key)).isPresent();
    }

    @Test
    void aRoundOfAModelTheDomainIsNotEnrolledInIsAcknowledgedWithoutTraining() {
        Federation federation = new Federation(registry, store, dir);
        String model = federation.model(Architecture.logisticRegression(20, 2), "");
        federation.openRound(model);

        // Acknowledged (2xx), so the broker does not redeliver; the function returned no result (JSON null).
        String answer = roundOpened(model).then().statusCode(200).extract().asString();

        assertThat(answer).isEqualTo("null");

        assertThat(store.list("models/" + model + "/rounds/")).isEmpty();
    }

    @Test
    void aPingSourceScheduleDeliveredToTrainTrainsTheDomain() {
        Federation federation = new Federation(registry, store, dir);
        String model = federation.trainable(Architecture.mlp(20, java.util.List.of(8), 2),
                SyntheticDataProduct.classification(500, 20, 4));
        String key = "models/" + model + "/rounds/1/updates/" + DomainTestResource.domain + ".safetensors";

        // Exactly what domain-knative's PingSource sends: its sink is the training Service with uri /train, its
        // data the module's jsonencode({model, domain}), in binary mode.
        given().header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", "dev.knative.sources.ping")
                .header("ce-source", "/apis/v1/namespaces/domain-a/pingsources/train-" + model)
                .contentType("application/json")
                .body("{\"model\":\"%s\",\"domain\":\"%s\"}".formatted(model, DomainTestResource.domain))
                .when().post("/train")
                .then().statusCode(200)
                .body("updateKey", equalTo(key))
                .body("trained", equalTo(true));

        assertThat(store.head(key)).isPresent();
    }

    @Test
    void anObjectEventOfTheAwsSqsSourceReachesTheVerticalStepsWhichIgnoreAnUndeclaredSession() {
        // What the aws-sqs IntegrationSource posts through domain-knative's vertical Trigger: the S3 notification as
        // data, type dev.knative.connector.event.aws-sqs, to the Service's root (routing by type).
        String notification = io.meshfl.core.event.S3NotificationWriter.json(new io.meshfl.core.event.ObjectCreated(
                store.bucket(), "models/undeclared/vrounds/psi/psi-1/session.json", "abc", 10), "ObjectCreated:Put",
                java.time.Instant.now(), "us-east-1", 1);

        given().header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", "dev.knative.connector.event.aws-sqs")
                .header("ce-source", "/apis/v1alpha1/namespaces/meshfl/integrationsources/update-events")
                .contentType("application/json")
                .body(notification)
                .when().post("/")
                .then().statusCode(200)
                .header("ce-type", "meshfl.vertical.stepped")
                .body("objects[0].key", equalTo("models/undeclared/vrounds/psi/psi-1/session.json"))
                .body("objects[0].action", equalTo("ignored"))
                .body("objects[0].detail", equalTo("PSI session 'psi-1' of model 'undeclared' is not declared"));
    }

    @Test
    void theRegistrysVerticalRoundOpenedEventAndADomainHeadsSweepReachTheVerticalSteps() {
        // domain-knative's Trigger on meshfl.vround.opened, to the Service's root: the package maps the type to
        // vertical-round-opened, which asks the registry for the round (none: refused, naming it).
        given().header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", "meshfl.vround.opened")
                .header("ce-source", "/meshfl/registry")
                .header("ce-subject", "undeclared/1")
                .contentType("application/json")
                .body("{\"model\": \"undeclared\", \"number\": 1, \"state\": \"OPEN\"}")
                .when().post("/")
                .then().statusCode(200)
                .header("ce-type", "meshfl.vertical.stepped")
                .body("objects[0].key", equalTo("vertical-models/undeclared/rounds/1"))
                .body("objects[0].action", equalTo("refused"))
                .body("objects[0].detail", org.hamcrest.Matchers.containsString("The registry has no round 1"));
        // domain-knative's CronJob for a domain-owned head: plain JSON to /vertical, no CloudEvent. The domain's
        // token lists the due rounds of the models whose head it runs: none.
        given().contentType("application/json").body("{\"sweep\": \"vertical-rounds\"}")
                .when().post("/vertical")
                .then().statusCode(200)
                .body("objects", org.hamcrest.Matchers.empty());
    }

    private static io.restassured.response.Response roundOpened(String model) {
        RequestSpecification event = given()
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", "meshfl.round.opened")
                .header("ce-source", "/meshfl/registry")
                .header("ce-subject", model + "/1")
                .contentType("application/json")
                .body("""
                        {"roundId": 1, "model": "%s", "number": 1, "kind": "TRAINING", "state": "OPEN",
                         "globalModelKey": "models/%s/global/1.safetensors", "version": 0}
                        """.formatted(model, model));
        return event.when().post("/");
    }
}
