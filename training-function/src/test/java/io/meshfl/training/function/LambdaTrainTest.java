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
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amazon Lambda (Funqy): the event an EventBridge Scheduler rule sends, posted to Quarkus's mock Lambda event
 * server (REST Assured points at it in this build), which hands it to the function through the Lambda runtime loop.
 */
@QuarkusTest
@Tag("lambda")
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@QuarkusTestResource(DomainTestResource.class)
class LambdaTrainTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @TempDir
    Path dir;

    @Test
    void aScheduledEventTrainsWithTheFunctionsOwnTokenAndUploadsTheUpdate() {
        Federation federation = new Federation(registry, store, dir);
        String model = federation.trainable(Architecture.logisticRegression(20, 2),
                SyntheticDataProduct.classification(500, 20, 3));
        String key = "models/" + model + "/rounds/1/updates/" + DomainTestResource.domain + ".safetensors";

        given().contentType(ContentType.JSON).body(Map.of("model", model, "domain", DomainTestResource.domain))
                .when().post("/")
                .then().statusCode(200)
                .body("updateKey", equalTo(key))
                .body("trained", equalTo(true));

        assertThat(store.head(key)).isPresent();
    }
}
