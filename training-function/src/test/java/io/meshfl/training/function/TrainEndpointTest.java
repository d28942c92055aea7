package io.meshfl.training.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.S3NotificationWriter;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.update.UpdateExpectation;
import io.meshfl.core.update.UpdatePolicy;
import io.meshfl.core.update.UpdateValidator;
import io.meshfl.core.update.ValidationResult;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.meshfl.training.SyntheticDataProduct;
import io.meshfl.training.model.Architecture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /train} against the real registry (child process) and the real S3 server. */
@QuarkusTest
@Tag("http")
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@QuarkusTestResource(DomainTestResource.class)
class TrainEndpointTest {

    private static final Architecture LOGISTIC = Architecture.logisticRegression(20, 2);

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @TempDir
    Path dir;

    private Federation federation;

    @BeforeEach
    void federation() {
        federation = new Federation(registry, store, dir);
    }

    @Test
    void oneTrainingLowersTheHoldOutLossAndUploadsAValidSignedUpdate() throws Exception {
        // Prepare: 2,000 rows, 20 features, a known linear separator; logistic regression, round 1 open.
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(2000, 20, 5));

        // Execute
        JsonPath result = train(model, federation.domainToken()).statusCode(200).extract().jsonPath();

        // Assert: trained, better than the global model on the same hold-out rows.
        String key = "models/" + model + "/rounds/1/updates/" + DomainTestResource.domain + ".safetensors";
        assertThat(result.getString("updateKey")).isEqualTo(key);
        assertThat(result.getBoolean("trained")).isTrue();
        assertThat(result.getInt("numExamples")).isEqualTo(1600);
        assertThat(result.getDouble("localMetrics.loss")).isLessThan(result.getDouble("globalMetrics.loss") / 2);
        assertThat(result.getDouble("localMetrics.accuracy")).isGreaterThan(0.9);
        assertThat(result.getString("etag")).isEqualTo(store.head(key).orElseThrow().etag());

        // The update passes the aggregator's checks: manifest, sha256, the domain's signature, finite values.
        Path update = dir.resolve("update.safetensors");
        Path global = dir.resolve("global.safetensors");
        store.download(key, update);
        store.download(Federation.globalKey(model), global);
        try (SafetensorsReader globalReader = SafetensorsReader.open(global)) {
            ValidationResult validation = new UpdateValidator(globalReader, UpdatePolicy.withMaxNorm(1000))
                    .validate(update, new UpdateExpectation(model, DomainTestResource.domain, 1L,
                            DomainTestResource.keys.verifier()));
            assertThat(validation).isInstanceOf(ValidationResult.Accepted.class);
            ValidationResult.Accepted accepted = (ValidationResult.Accepted) validation;
            assertThat(accepted.metadata().numExamples()).isEqualTo(1600);
            assertThat(accepted.metadata().metrics()).contains("\"loss\"");
        }

        // The registry heard how the global model did on this domain's hold-out rows.
        federation.as(federation.governance()).get("/models/" + model + "/versions")
                .then().statusCode(200)
                .body("find { it.round == 1 }.metrics[0].domain", equalTo(DomainTestResource.domain))
                .body("find { it.round == 1 }.metrics[0].numExamples", equalTo(400));
    }

    @Test
    void aSecondTriggerForTheSameRoundReturnsTheExistingUpdateWithoutTraining() {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(400, 20, 8));
        JsonPath first = train(model, federation.domainToken()).statusCode(200).extract().jsonPath();
        String key = first.getString("updateKey");
        StoredObject before = store.head(key).orElseThrow();

        JsonPath second = train(model, federation.domainToken()).statusCode(200).extract().jsonPath();

        assertThat(second.getBoolean("trained")).isFalse();
        assertThat(second.getString("updateKey")).isEqualTo(key);
        assertThat(second.getString("etag")).isEqualTo(first.getString("etag"));
        assertThat(second.getMap("localMetrics")).isNull();
        assertThat(store.head(key).orElseThrow()).isEqualTo(before);
    }

    @Test
    void concurrentTriggersForTheSameRoundLeaveOneUpdateThatEveryTriggerReports() throws Exception {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(400, 20, 8));
        String token = federation.domainToken();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonPath>> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return train(model, token).statusCode(200).extract().jsonPath();
                }));
            }
            start.countDown();
            List<JsonPath> results = new ArrayList<>();
            for (var reply : replies) {
                results.add(reply.get());
            }

            List<StoredObject> uploaded = store.list("models/" + model + "/rounds/");
            assertThat(uploaded).hasSize(1);
            StoredObject stored = uploaded.get(0);
            assertThat(results).allSatisfy(result -> {
                assertThat(result.getString("updateKey")).isEqualTo(stored.key());
                assertThat(result.getString("etag")).isEqualTo(stored.etag());
            });
            assertThat(results).filteredOn(result -> result.getBoolean("trained")).hasSizeLessThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDomainTheRoundDoesNotExpectIsRefusedBeforeTrainingAndNothingIsWritten() {
        // The domain enrols after round 1 opened: the round's expected domains were fixed without it.
        String model = federation.model(LOGISTIC, "");
        federation.openRound(model);
        federation.enrol(model, federation.dataProduct(SyntheticDataProduct.classification(400, 20, 8)));

        train(model, federation.domainToken()).statusCode(409)
                .body("detail", containsString("expects [], fixed when it opened"));
        assertNothingUploaded(model);
    }

    @Test
    void anUnknownModelIsNotFound() {
        String model = Federation.unique("nosuch");

        train(model, federation.domainToken()).statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString(model));
        assertNothingUploaded(model);
    }

    @Test
    void aDomainNotEnrolledForTheModelIsForbidden() {
        String model = federation.model(LOGISTIC, "");
        federation.dataProduct(SyntheticDataProduct.classification(100, 20, 1));
        federation.openRound(model);

        train(model, federation.domainToken()).statusCode(403)
                .body("detail", containsString("enrolled"));
        assertNothingUploaded(model);
    }

    @Test
    void aDataProductOtherThanTheEnrolledOneIsForbidden() {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(100, 20, 1));

        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + federation.domainToken())
                .body(Map.of("model", model, "domain", DomainTestResource.domain, "dataProduct", "someone-elses"))
                .post("/train")
                .then().statusCode(403)
                .body("detail", containsString("'someone-elses' is not approved for model"));
        assertNothingUploaded(model);
    }

    @Test
    void aRequestWithoutTokenOrForAnotherDomainIsRefused() {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(100, 20, 1));

        given().contentType(ContentType.JSON).body(Map.of("model", model, "domain", DomainTestResource.domain))
                .post("/train").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + federation.domainToken())
                .body(Map.of("model", model, "domain", "other-domain"))
                .post("/train").then().statusCode(403).body("detail", containsString("not 'other-domain'"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + federation.domainToken())
                .body(Map.of("domain", DomainTestResource.domain))
                .post("/train").then().statusCode(400).body("detail", containsString("'model' is required"));
        assertNothingUploaded(model);
    }

    /**
     * {@code POST /vertical} takes object events from the federation's event bridge only: a function token of the
     * federation's issuer, verified by the function itself (no registry call to pass it to), not a domain's token, not
     * one of another issuer, not none; and that check leaves {@code /train}'s domain tokens alone (the tests above).
     */
    @Test
    void theVerticalEventEndpointAdmitsOnlyAFunctionTokenOfTheFederationsIssuer() {
        String event = S3NotificationWriter.json(new ObjectCreated("elsewhere", "models/m/vrounds/1/round.json", "e1", 2),
                "ObjectCreated:Put", Instant.now(), "us-east-1", 1);
        String otherIssuer = LocalTokenIssuer.inDirectory(Path.of("target", "forged-issuer-keys"), registry.issuer().issuer())
                .function();

        given().contentType(ContentType.JSON).body(event).post("/vertical").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + otherIssuer).body(event)
                .post("/vertical").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + federation.domainToken()).body(event)
                .post("/vertical").then().statusCode(403);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + registry.issuer().function()).body(event)
                .post("/vertical").then().statusCode(200).body("objects[0].action", equalTo("ignored"));
    }

    /**
     * The endpoint has no token check of its own: the registry verifies the caller's token (signature, issuer, expiry)
     * in the first call, before anything is read. A token naming this domain but signed by another issuer gets 401.
     */
    @Test
    void aForgedTokenNamingThisDomainIsRefusedBeforeAnythingIsRead() {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(100, 20, 1));
        String forged = LocalTokenIssuer.inDirectory(Path.of("target", "forged-issuer-keys"))
                .domain(DomainTestResource.domain);

        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + forged)
                .body(Map.of("model", model, "domain", DomainTestResource.domain))
                .post("/train").then().statusCode(401);

        assertNothingUploaded(model);
    }

    /** Another domain's token cannot make this domain's function train on that domain's data (issue 14, item 9). */
    @Test
    void anotherDomainsTokenIsForbiddenBeforeAnythingIsReadOrWritten() {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(100, 20, 1));
        String rival = Federation.unique("rival");
        federation.as(federation.governance()).contentType(ContentType.JSON)
                .body(Map.of("id", rival, "name", "Rival", "owner", "rival@example.org"))
                .post("/domains").then().statusCode(201);
        federation.as(registry.issuer().domain(rival)).contentType("application/yaml")
                .body(DataProductDescriptors.churn(rival + "-churn", rival, "1.0.0", Federation.PURPOSE)
                        .getBytes(StandardCharsets.UTF_8))
                .post("/data-products").then().statusCode(201);
        federation.as(federation.governance()).contentType(ContentType.JSON)
                .body(Map.of("domain", rival, "dataProduct", rival + "-churn"))
                .post("/models/" + model + "/enrolments").then().statusCode(201);

        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + registry.issuer().domain(rival))
                .body(Map.of("model", model, "domain", DomainTestResource.domain))
                .post("/train")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("The token acts for domain '" + rival + "'"));

        assertNothingUploaded(model);
        federation.as(federation.governance()).get("/models/" + model + "/versions")
                .then().statusCode(200).body("[0].metrics", org.hamcrest.Matchers.empty());
    }

    @Test
    void aDataProductMissingASchemaColumnIsUnprocessable() {
        String model = trainableOn(List.of("x0", "x1", "label"), "x0,label\n1.0,0\n2.0,1\n3.0,0\n",
                Architecture.logisticRegression(2, 2));

        train(model, federation.domainToken()).statusCode(422)
                .body("detail", containsString("missing schema column 'x1'"));
        assertNothingUploaded(model);
    }

    @Test
    void aLabelWithAnUnseenClassIsUnprocessable() {
        String model = trainableOn(List.of("x0", "label"), "x0,label\n1.0,0\n2.0,1\n3.0,2\n",
                Architecture.logisticRegression(1, 2));

        train(model, federation.domainToken()).statusCode(422)
                .body("detail", containsString("row 3: column 'label' (the label) has class '2'"));
        assertNothingUploaded(model);
    }

    @Test
    void anEmptyDataProductIsUnprocessable() {
        String model = trainableOn(List.of("x0", "label"), "x0,label\n", Architecture.logisticRegression(1, 2));

        train(model, federation.domainToken()).statusCode(422)
                .body("detail", containsString("is empty: it has no rows"));
        assertNothingUploaded(model);
    }

    @Test
    void aCorruptGlobalModelIsUnprocessable() {
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(100, 20, 1));
        store.put(Federation.globalKey(model), "not safetensors at all".getBytes(StandardCharsets.UTF_8), Map.of());

        train(model, federation.domainToken()).statusCode(422)
                .body("detail", containsString("global model " + Federation.globalKey(model)));
        assertNothingUploaded(model);
    }

    @Test
    void aGlobalModelReplacedAfterTheRegistryRecordedItsChecksumIsRefusedAndNothingIsWritten() {
        // Issue 14: a domain overwrote global/1 through the local mesh's object store; trainers used it unchecked
        String model = federation.trainable(LOGISTIC, SyntheticDataProduct.classification(100, 20, 1));
        federation.uploadGlobal(model, io.meshfl.training.TestWeights.gaussian(LOGISTIC, 666, 10));

        train(model, federation.domainToken()).statusCode(409)
                .body("title", equalTo("Global model altered"))
                .body("detail", containsString("does not match the registry's record"))
                .body("detail", containsString("nothing was trained from it"));
        assertNothingUploaded(model);
    }

    @Test
    void aGlobalModelOfAnotherShapeIsUnprocessable() {
        String model = federation.model(LOGISTIC, "");
        federation.enrol(model, federation.dataProduct(SyntheticDataProduct.classification(100, 20, 1)));
        federation.uploadGlobal(model, io.meshfl.training.TestWeights.gaussian(
                Architecture.logisticRegression(19, 2), 1, 0.1));
        federation.openRound(model);

        train(model, federation.domainToken()).statusCode(422)
                .body("detail", containsString("layers.0.weight[2, 20]"));
        assertNothingUploaded(model);
    }

    private String trainableOn(List<String> header, String csv, Architecture architecture) {
        String model = federation.model(architecture, "");
        federation.enrol(model, federation.dataProduct(header, csv));
        federation.openRound(model);
        return model;
    }

    private ValidatableResponse train(String model, String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token)
                .body(Map.of("model", model, "domain", DomainTestResource.domain))
                .post("/train").then();
    }

    private void assertNothingUploaded(String model) {
        assertThat(store.list("models/" + model + "/rounds/")).isEmpty();
    }
}
