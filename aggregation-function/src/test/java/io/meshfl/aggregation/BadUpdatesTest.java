package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad update is registered REJECTED with a reason naming what was wrong; none counts; the round
 * still closes on the good ones; nothing in the bucket changes but the aggregator's own outputs.
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class BadUpdatesTest {

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    @Test
    void badUpdatesAreRejectedWithTheirReasonAndTheRoundClosesOnTheGoodOnes() {
        // Prepare: quorum 2, norm bound 20; two good domains and one domain per kind of bad update.
        Federation federation = Federation.open(registry, store, "fedavg", 2, 20.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "good1", "good2", "shape", "nan", "norm", "truncated",
                "unsigned", "forged", "base", "victim", "inflated", "stale");
        ModelWeights ok = Federation.weights(1, 1, 1, 1, 1, 1, 1, 1);
        ModelWeights transposed = new ModelWeights(new ModelManifest(List.of(
                TensorSpec.of("01Linear_weight", Dtype.F32, 3, 2), TensorSpec.of("01Linear_bias", Dtype.F32, 2))),
                List.of(new float[] {1, 1, 1, 1, 1, 1}, new float[] {1, 1}));
        byte[] whole = federation.signedUpdateBytes("truncated", ok, 50);

        Map<String, StoredObject> bad = new LinkedHashMap<>();
        bad.put("shape", federation.putUpdate(federation.updateKey(1, "shape"), transposed,
                federation.metadata("shape", 1, 50), federation.keys.get("shape").signer()));
        bad.put("nan", federation.putUpdate("nan", Federation.weights(1, 1, Float.NaN, 1, 1, 1, 1, 1), 50));
        bad.put("norm", federation.putUpdate("norm", Federation.weights(100, 0, 0, 0, 0, 0, 0, 0), 50));
        bad.put("truncated", federation.putBytes(federation.updateKey(1, "truncated"),
                Arrays.copyOf(whole, whole.length - 7)));
        bad.put("unsigned", federation.putUnsigned("unsigned", ok, 50));
        bad.put("forged", federation.putUpdate(federation.updateKey(1, "forged"), ok,
                federation.metadata("forged", 1, 50), DomainKeyPair.generate().signer()));
        bad.put("base", federation.putUpdate(federation.updateKey(1, "base"), ok,
                federation.metadata("base", 2, 50), federation.keys.get("base").signer()));
        // Domain good1 writing under the name of domain victim, signing with its own key.
        bad.put("victim", federation.putUpdate(federation.updateKey(1, "victim"), ok,
                federation.metadata("good1", 1, 50), federation.keys.get("good1").signer()));
        // Weight inflation: a validly signed update claiming more examples than its data product holds.
        bad.put("inflated", federation.putUpdate("inflated", ok, Long.MAX_VALUE));
        // Trained from another global model than the one the registry recorded for the round.
        UpdateMetadata staleBase = UpdateMetadata.unsigned(federation.model, federation.domain("stale"), 1,
                "ab".repeat(32), 50, "{}");
        bad.put("stale", federation.putUpdate(federation.updateKey(1, "stale"), ok, staleBase,
                federation.keys.get("stale").signer()));
        List<String> keysBefore = keys(federation);

        // Execute
        Map<String, JsonPath> replies = bad.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> post(e.getValue()), (x, y) -> x, LinkedHashMap::new));
        JsonPath firstGood = post(federation.putUpdate("good1", Federation.weights(2, 2, 2, 2, 2, 2, 2, 2), 100));
        JsonPath secondGood = post(federation.putUpdate("good2", Federation.weights(4, 4, 4, 4, 4, 4, 4, 4), 100));

        // Assert: each rejection names its cause, in the reply and in the registry.
        Map<String, String> expectedReason = Map.of(
                "shape", "tensor '01Linear_weight' has shape [3, 2], expected [2, 3]",
                "nan", "tensor '01Linear_weight' holds NaN",
                "norm", "L2 norm of (update − global) is 100.0",
                "truncated", federation.updateKey(1, "truncated"),
                "unsigned", "__metadata__ has no 'signature'",
                "forged", "signature does not verify",
                "base", "base_round is 2, expected 1",
                "victim", "domain is '" + federation.domain("good1") + "', expected '" + federation.domain("victim") + "'",
                "inflated", "num_examples is " + Long.MAX_VALUE + ", above the cap of " + Federation.RECORDS,
                "stale", "base_model_sha256 is " + "ab".repeat(32) + " but the round's global model's is "
                        + federation.globalSha256(1));
        Map<String, Map<String, Object>> registered = federation.updates(federation.roundId).stream()
                .collect(Collectors.toMap(u -> (String) u.get("domain"), Function.identity()));
        expectedReason.forEach((name, reason) -> {
            assertThat(replies.get(name).getString("objects[0].outcome")).as(name).isEqualTo("REJECTED");
            assertThat(replies.get(name).getString("objects[0].detail")).as(name).contains(reason);
            Map<String, Object> stored = registered.get(federation.domain(name));
            assertThat(stored.get("status")).as(name).isEqualTo("REJECTED");
            assertThat((String) stored.get("reason")).as(name).contains(reason);
        });
        assertThat(firstGood.getString("objects[0].outcome")).isEqualTo("ACCEPTED");
        assertThat(secondGood.getString("objects[0].globalModelKey")).isEqualTo(federation.globalKey(2));
        assertThat(federation.readGlobal(2).tensor("01Linear_weight")).containsOnly(3f);
        assertThat(federation.readGlobal(2).tensor("01Linear_bias")).containsExactly(new float[] {3f, 3f}, within(0f));

        List<String> added = keys(federation);
        added.removeAll(keysBefore);
        assertThat(added).containsExactlyInAnyOrder(federation.updateKey(1, "good1"), federation.updateKey(1, "good2"),
                federation.globalKey(2));
    }

    @Test
    void anUpdateTrainedFromAGlobalModelOtherThanTheRegistryRecordedIsRejected() throws Exception {
        // Prepare: the round's global model is replaced in the bucket after the registry recorded its checksum.
        Federation federation = Federation.open(registry, store, "fedavg", 2, 100.0,
                Federation.weights(0, 0, 0, 0, 0, 0, 0, 0), "a", "b");
        String recorded = federation.globalSha256(1);
        java.nio.file.Path replacement = java.nio.file.Files.createTempFile("replaced-global", ".safetensors");
        Federation.weights(5, 5, 5, 5, 5, 5, 5, 5).write(replacement, Map.of());
        store.put(federation.globalKey(1), replacement, Map.of());
        assertThat(federation.globalSha256(1)).isNotEqualTo(recorded);

        // Execute: a validly signed update that names the replaced file as its base (metadata() hashes the stored one).
        JsonPath reply = post(federation.putUpdate("a", Federation.weights(6, 6, 6, 6, 6, 6, 6, 6), 50));

        // Assert: judged against the registry's record, not against whatever the bucket holds now.
        assertThat(reply.getString("objects[0].outcome")).isEqualTo("REJECTED");
        assertThat(reply.getString("objects[0].detail")).contains("the round's global model's is " + recorded);
    }

    private static List<String> keys(Federation federation) {
        return new java.util.ArrayList<>(federation.listKeys());
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
