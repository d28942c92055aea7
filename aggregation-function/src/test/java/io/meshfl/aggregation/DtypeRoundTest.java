package io.meshfl.aggregation;

import static io.meshfl.aggregation.FunctionCaller.asFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.update.UpdateWriter;
import io.meshfl.testing.InjectRegistry;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import io.meshfl.testing.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The aggregation function keeps each tensor's dtype (issue 17): a round of an F64 model with PyTorch's I64
 * {@code num_batches_tracked} closes, one-input FedAvg gives the update back bit for bit, and the counter is the
 * updates' maximum ({@link io.meshfl.core.strategy.IntegerTensors}).
 */
@QuarkusTest
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(RegistryTestResource.class)
@Tag("http")
class DtypeRoundTest {

    private static final ModelManifest MIXED = new ModelManifest(List.of(TensorSpec.of("w64", Dtype.F64, 6),
            TensorSpec.of("bn.num_batches_tracked", Dtype.I64), TensorSpec.of("w32", Dtype.F32, 2)));
    private static final String POLICY = """
            {"minDomains": %d, "maxDomains": 10, "roundDeadlineSeconds": 3600}""";

    @InjectRegistry
    RegistryProcess registry;

    @Inject
    ObjectStore store;

    private static UpdateWriter.Content model(double[] w64, long batches, float[] w32) {
        return writer -> {
            writer.writeDoubles("w64", 0, w64, 0, w64.length);
            writer.writeLongs("bn.num_batches_tracked", new long[] {batches});
            writer.writeFloats("w32", w32);
        };
    }

    @Test
    void oneInputFedAvgOverAnF64ModelWithACounterReturnsTheUpdateBitForBit() throws Exception {
        // Prepare: values float cannot hold (1e300, a subnormal double, 0.1's double digits) and −0.0
        double[] w64 = {1e300, -1e-300, Double.MIN_VALUE, 0.1, -0.0, Math.PI};
        Federation federation = Federation.open(registry, store, "fedavg", POLICY.formatted(1), MIXED,
                model(new double[6], 100, new float[2]), "a");
        StoredObject update = federation.putUpdate("a", MIXED, model(w64, 130, new float[] {0.1f, -2f}), 50);

        // Execute
        JsonPath reply = post(update);

        // Assert: the same data section, hence the same bits, and the dtypes of the global model
        assertThat(reply.getString("objects[0].outcome")).as(reply.prettify()).isEqualTo("ACCEPTED");
        assertThat(federation.round(federation.roundId).getString("state")).as(reply.prettify()).isEqualTo("CLOSED");
        try (SafetensorsReader next = read(federation, federation.globalKey(2));
                SafetensorsReader sent = read(federation, update.key())) {
            assertThat(next.manifest()).isEqualTo(MIXED);
            assertThat(next.dataSha256()).isEqualTo(sent.dataSha256());
            assertThat(next.readLongs("bn.num_batches_tracked")).containsExactly(130L);
        }
    }

    @Test
    void aCounterTakesTheUpdatesMaximumAndF64IsAveragedInDouble() throws Exception {
        // Prepare: weights 1 : 3; 1 + 2^-40 is not a float
        double fine = 1 + 0x1p-40;
        Federation federation = Federation.open(registry, store, "fedavg", POLICY.formatted(2), MIXED,
                model(new double[6], 100, new float[2]), "a", "b");
        post(federation.putUpdate("a", MIXED, model(new double[] {fine, 4, 0, 0, 0, 0}, 180, new float[] {4f, 0f}), 10));

        // Execute
        JsonPath reply = post(federation.putUpdate("b", MIXED, model(new double[] {fine, 0, 0, 0, 0, 0}, 120,
                new float[] {0f, 8f}), 30));

        // Assert: by pencil, 0.25·a + 0.75·b; the counter is a's
        assertThat(federation.round(federation.roundId).getString("state")).as(reply.prettify()).isEqualTo("CLOSED");
        try (SafetensorsReader next = read(federation, federation.globalKey(2))) {
            double[] w64 = new double[6];
            next.readDoubles("w64", 0, w64, 0, 6);
            assertThat(w64).containsExactly(fine, 1, 0, 0, 0, 0);
            assertThat(next.readFloats("w32")).containsExactly(1f, 6f);
            assertThat(next.readLongs("bn.num_batches_tracked")).containsExactly(180L);
        }
    }

    private SafetensorsReader read(Federation federation, String key) throws Exception {
        Path file = Files.createTempFile("dtype-round", ".safetensors");
        file.toFile().deleteOnExit();
        Files.delete(file);
        store.download(key, file);
        return SafetensorsReader.open(file);
    }

    private JsonPath post(StoredObject update) {
        return asFunction(registry).contentType(ContentType.JSON).body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
