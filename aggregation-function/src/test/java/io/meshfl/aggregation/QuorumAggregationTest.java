package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three domains, quorum three, FedAvg: whatever the order the events arrive in, the third accepted update closes
 * the round and the new global model is the example-weighted mean of the three files.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class QuorumAggregationTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    static Stream<Arguments> orders() {
        return Stream.of(List.of("a", "b", "c"), List.of("a", "c", "b"), List.of("b", "a", "c"),
                List.of("b", "c", "a"), List.of("c", "a", "b"), List.of("c", "b", "a")).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void thirdAcceptedUpdateInAnyOrderAggregatesTheExampleWeightedMean(List<String> order) {
        // Prepare: global model 1 all zeros; three updates with 100, 300 and 600 examples.
        Federation federation = Federation.open(registry, store, "fedavg", 3, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b", "c");
        Map<String, StoredObject> updates = Map.of(
                "a", federation.putUpdate("a", Federation.weights(1, 2, 3, 4, 5, 6, 0.5f, -1), 100),
                "b", federation.putUpdate("b", Federation.weights(2, 2, 2, 2, 2, 2, 1, 1), 300),
                "c", federation.putUpdate("c", Federation.weights(0, 1, 0, 1, 0, 1, 0, 2), 600));

        // Execute: one event per update, in this order.
        JsonPath first = post(updates.get(order.get(0)));
        JsonPath second = post(updates.get(order.get(1)));
        JsonPath third = post(updates.get(order.get(2)));

        // Assert: the first two wait, the third aggregates; 0.1·a + 0.3·b + 0.6·c, element by element.
        assertThat(first.getString("objects[0].outcome")).isEqualTo("ACCEPTED");
        assertThat(first.getString("objects[0].globalModelKey")).isNull();
        assertThat(second.getString("objects[0].outcome")).isEqualTo("ACCEPTED");
        assertThat(second.getString("objects[0].globalModelKey")).isNull();
        assertThat(third.getString("objects[0].outcome")).isEqualTo("ACCEPTED");
        assertThat(third.getString("objects[0].globalModelKey")).isEqualTo(federation.globalKey(2));

        ModelWeights global = federation.readGlobal(2);
        assertThat(global.tensor("01Linear_weight")).containsExactly(new float[] {0.7f, 1.4f, 0.9f, 1.6f, 1.1f, 1.8f},
                within(1e-6f));
        assertThat(global.tensor("01Linear_bias")).containsExactly(new float[] {0.35f, 1.4f}, within(1e-6f));

        JsonPath closed = federation.round(federation.roundId);
        assertThat(closed.getString("state")).isEqualTo("CLOSED");
        JsonPath next = federation.currentRound();
        assertThat(next.getInt("number")).isEqualTo(2);
        assertThat(next.getString("state")).isEqualTo("OPEN");
        assertThat(next.getString("globalModelKey")).isEqualTo(federation.globalKey(2));
        Map<String, Object> version = federation.version(2);
        assertThat(version.get("key")).isEqualTo(federation.globalKey(2));
        assertThat(version.get("aggregatedFrom")).isEqualTo(List.of(federation.domain("a"), federation.domain("b"),
                federation.domain("c")));
        Map<String, String> metadata = federation.globalMetadata(2);
        assertThat(metadata.get("data-sha256")).as("bit for bit core's FedAvg of the three files")
                .isEqualTo(federation.coreAggregate(new FedAvg(), 1, List.of("a", "b", "c")));
        assertThat(version.get("checksum")).isEqualTo(metadata.get("sha256")).isEqualTo(metadata.get("data-sha256"));
        assertThat(metadata).containsEntry("round", "2").containsEntry("strategy", "fedavg")
                .containsEntry("aggregated_from", String.join(",", federation.domain("a"), federation.domain("b"),
                        federation.domain("c")));
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
