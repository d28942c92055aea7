package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy {@code resubmit}: with it a domain replaces a REJECTED update of an open round by uploading a corrected file
 * to its slot, judged like a first one; an ACCEPTED update is never replaced; without it the first verdict stands.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class ResubmitTest {

    private static final ModelWeights GLOBAL = Federation.weights(0, 0, 0, 0, 0, 0, 0, 0);
    private static final ModelWeights GOOD = Federation.weights(1, 1, 1, 1, 1, 1, 1, 1);

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    private Federation federation(boolean resubmit) {
        return Federation.open(registry, store, "fedavg", "{}", "null", resubmit, 2, 100.0, GLOBAL, "a", "b");
    }

    @Test
    void aRejectedUpdateIsReplacedByTheCorrectedUploadWhichIsJudgedAndCountedOnce() {
        Federation federation = federation(true);
        StoredObject wrong = federation.putUnsigned("a", GOOD, 50);
        assertThat(post(wrong).getString("objects[0].outcome")).isEqualTo("REJECTED");

        StoredObject corrected = federation.putUpdate("a", GOOD, 50);
        JsonPath replaced = post(corrected);
        JsonPath again = post(corrected);

        assertThat(replaced.getString("objects[0].outcome")).as(replaced.prettify()).isEqualTo("ACCEPTED");
        assertThat(again.getString("objects[0].outcome")).as("a repeated event changes nothing")
                .isEqualTo("DUPLICATE");
        Map<String, Object> stored = federation.updates(federation.roundId).get(0);
        assertThat(stored).containsEntry("status", "ACCEPTED").containsEntry("etag", corrected.etag());
        assertThat(stored.get("reason")).isNull();
        // The replacement counts toward the quorum like a first upload: b's update closes the round.
        post(federation.putUpdate("b", GOOD, 50));
        assertThat(federation.round(federation.roundId).getString("state")).isEqualTo("CLOSED");
    }

    @Test
    void anAcceptedUpdateIsNeverReplaced() {
        Federation federation = federation(true);
        StoredObject first = federation.putUpdate("a", GOOD, 50);
        post(first);

        StoredObject second = federation.putUpdate("a", Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 50);
        JsonPath reply = post(second);

        assertThat(reply.getString("objects[0].outcome")).isEqualTo("DUPLICATE");
        assertThat(federation.updates(federation.roundId).get(0)).containsEntry("status", "ACCEPTED")
                .containsEntry("etag", first.etag());
    }

    @Test
    void withoutResubmitTheFirstVerdictStands() {
        Federation federation = federation(false);
        StoredObject wrong = federation.putUnsigned("a", GOOD, 50);
        post(wrong);

        JsonPath reply = post(federation.putUpdate("a", GOOD, 50));

        assertThat(reply.getString("objects[0].outcome")).isEqualTo("DUPLICATE");
        assertThat(federation.updates(federation.roundId).get(0)).containsEntry("status", "REJECTED")
                .containsEntry("etag", wrong.etag());
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
