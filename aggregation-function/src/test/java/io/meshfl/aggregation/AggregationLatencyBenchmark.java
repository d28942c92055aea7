package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.S3ProxyServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Latency of a round's end (issue 5): 10 domains × 1M float32 parameters, FedAvg. Measures the time from the last
 * domain's PUT of its update to the new global model being registered (the packaged function, JVM mode, answers
 * the event only after the registry completed the round), with the function's own breakdown: read, validate,
 * aggregate, write, registry. Not a test: a runner that prints.
 *
 * <p>Baseline measured in the same run: reading the same eleven objects (ten updates and the global model) from
 * the same S3 server, sequentially, without doing anything with them: the I/O the round's end cannot avoid.
 *
 * <p>Run (after packaging the registry and the function, see aggregation-function/pom.xml, profile bench):
 * <pre>mvn -B -ntp -Phttp,bench -pl functions/registry-function,aggregation-function -am verify -DskipTests</pre>
 */
public final class AggregationLatencyBenchmark {

    private static final int DOMAINS = 10;
    private static final int ROWS = 1000;
    private static final int COLUMNS = 999;
    /** Rounds that only warm the JVMs (JIT) up, then rounds measured. */
    private static final int WARM_UP = 3;
    private static final int ROUNDS = WARM_UP + 5;
    private static final String BUCKET = "meshfl-bench";

    private AggregationLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("meshfl.aggregation.jar", "target/quarkus-app/quarkus-run.jar"));
        Path work = Files.createDirectories(Path.of(System.getProperty("meshfl.test.work-dir", "target/test-work")));
        S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
        s3.ensureBucket(BUCKET);
        try (S3ObjectStore store = S3ObjectStore.connect(new S3Settings(BUCKET, s3.region(), Optional.of(s3.uri()),
                true, Optional.of(s3.accessKey()), Optional.of(s3.secretKey())));
                RegistryProcess registry = RegistryProcess.start();
                PackagedAggregationFunction function = PackagedAggregationFunction.start(jar, s3, BUCKET, registry,
                        work.resolve("aggregation-function-bench.log"))) {
            run(store, registry, function);
        }
    }

    private static void run(S3ObjectStore store, RegistryProcess registry, PackagedAggregationFunction function) {
        ModelManifest manifest = new ModelManifest(List.of(
                TensorSpec.of("layer.weight", Dtype.F32, ROWS, COLUMNS),
                TensorSpec.of("layer.bias", Dtype.F32, ROWS)));
        String[] names = new String[DOMAINS];
        for (int i = 0; i < DOMAINS; i++) {
            names[i] = "d" + i;
        }
        ModelWeights zeros = new ModelWeights(manifest, List.of(new float[ROWS * COLUMNS], new float[ROWS]));
        Federation federation = Federation.open(registry, store, "fedavg", DOMAINS, 1e9, zeros, names);
        String functionUrl = function.baseUrl().toString();
        System.out.printf("%nAggregation latency: %d domains x %,d parameters (float32), FedAvg, packaged function"
                + " (JVM), S3Proxy and the registry on loopback%n", DOMAINS, manifest.parameterCount());
        System.out.printf("%-13s %9s %9s %9s %9s %9s %9s %9s %10s%n", "round", "PUT", "event", "read", "validate",
                "aggregate", "write", "registry", "total ms");

        SplittableRandom random = new SplittableRandom(42);
        List<double[]> measured = new ArrayList<>();
        double baseline = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < DOMAINS; i++) {
                files.add(federation.writeUpdate(names[i], round, randomWeights(manifest, random), 100 + i));
            }
            for (int i = 0; i < DOMAINS - 1; i++) {
                JsonPath reply = post(functionUrl, registry, federation.upload(names[i], round, files.get(i)));
                expect("ACCEPTED", reply.getString("objects[0].outcome"), reply);
            }

            long start = System.nanoTime();
            StoredObject last = federation.upload(names[DOMAINS - 1], round, files.get(DOMAINS - 1));
            long put = System.nanoTime();
            JsonPath reply = post(functionUrl, registry, last);
            long end = System.nanoTime();

            expect(federation.globalKey(round + 1), reply.getString("objects[0].globalModelKey"), reply);
            Map<String, Float> phases = new LinkedHashMap<>(reply.getMap("millis"));
            double[] row = {(put - start) / 1e6, (end - put) / 1e6, value(phases, "read"), value(phases, "validate"),
                    value(phases, "aggregate"), value(phases, "write"), value(phases, "registry"),
                    (end - start) / 1e6};
            System.out.printf("%-13s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %10.1f%n",
                    round <= WARM_UP ? round + " (warm-up)" : Integer.toString(round), row[0], row[1], row[2], row[3], row[4],
                    row[5], row[6], row[7]);
            if (round > WARM_UP) {
                measured.add(row);
            }
            if (round == ROUNDS) {
                baseline = readBaseline(store, federation, round);
            }
        }
        double[] median = median(measured);
        System.out.printf("%-13s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %10.1f%n", "median", median[0], median[1],
                median[2], median[3], median[4], median[5], median[6], median[7]);
        System.out.printf("%nBaseline, same run: reading the round's 10 updates and its global model, sequentially:"
                + " %.1f ms%n", baseline);
        System.out.printf("Median PUT-to-registered latency %.1f ms = %.2f x the baseline read; target <= 500 ms%n",
                median[7], median[7] / baseline);
    }

    private static double readBaseline(S3ObjectStore store, Federation federation, int round) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            keys.add(federation.updateKey(round, "d" + i));
        }
        keys.add(federation.globalKey(round));
        double best = Double.MAX_VALUE;
        byte[] buffer = new byte[1 << 16];
        for (int attempt = 0; attempt < 3; attempt++) {
            long start = System.nanoTime();
            for (String key : keys) {
                try (InputStream in = store.open(key)) {
                    while (in.read(buffer) >= 0) {
                        // Only the transfer counts.
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    private static ModelWeights randomWeights(ModelManifest manifest, SplittableRandom random) {
        List<float[]> values = new ArrayList<>();
        for (TensorSpec tensor : manifest.tensors()) {
            float[] v = new float[(int) tensor.elementCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextDouble() - 0.5) * 0.02f;
            }
            values.add(v);
        }
        return new ModelWeights(manifest, values);
    }

    private static JsonPath post(String functionUrl, RegistryProcess registry, StoredObject update) {
        return given().baseUri(functionUrl).header("Authorization", "Bearer " + registry.issuer().function())
                .contentType(ContentType.JSON)
                .body(DocumentedEvents.text(Federation.event(update)))
                .when().post("/aggregate")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    private static void expect(String expected, String actual, JsonPath reply) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("Expected " + expected + ", got " + actual + " in " + reply.prettify());
        }
    }

    private static double value(Map<String, Float> phases, String phase) {
        Number n = phases.get(phase);
        return n == null ? 0 : n.doubleValue();
    }

    private static double[] median(List<double[]> rows) {
        double[] median = new double[rows.get(0).length];
        for (int column = 0; column < median.length; column++) {
            double[] values = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                values[i] = rows.get(i)[column];
            }
            Arrays.sort(values);
            median[column] = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        }
        return median;
    }
}
