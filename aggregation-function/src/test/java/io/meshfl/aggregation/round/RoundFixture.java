package io.meshfl.aggregation.round;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration;
import io.meshfl.registry.api.UpdateView;
import io.meshfl.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A round of one model in the real S3 server, as the registry would hand it to the aggregation: the global model,
 * the updates under their keys, and their registered data SHA-256s. Shared by the streaming tests and the
 * end-to-end benchmark.
 */
public final class RoundFixture {

    private RoundFixture() {
    }

    public static S3ObjectStore store(String bucket) {
        S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
        s3.ensureBucket(bucket);
        return S3ObjectStore.connect(new S3Settings(bucket, s3.region(), Optional.of(s3.uri()), true,
                Optional.of(s3.accessKey()), Optional.of(s3.secretKey())));
    }

    /** Writes a safetensors file of {@code layout} (in this data order) with random values. */
    public static Path write(Path file, List<TensorSpec> layout, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, Map.of())) {
            writer.fill(() -> random.nextDouble() * 2 - 1);
            writer.finish();
        }
        return file;
    }

    /** Stores {@code file} as {@code domain}'s update of round {@code round} and returns its registration. */
    public static UpdateView upload(ObjectStore store, String model, int round, String domain, Path file,
            long examples) throws IOException {
        String key = ObjectKeys.update(model, round, domain);
        String etag = store.put(key, file, Map.of()).etag();
        String sha256;
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            sha256 = reader.dataSha256();
        }
        return new UpdateView(1L, 1L, domain, key, etag, sha256, examples, round, null,
                UpdateRegistration.UpdateStatus.ACCEPTED, null, null, null, Instant.EPOCH, false);
    }

    /** Round {@code number} of {@code model}, aggregating, whose global model is stored under {@code globalKey}. */
    public static RoundView round(String model, int number, String globalKey, String strategy) {
        return new RoundView(1L, model, number, "sync", RoundState.AGGREGATING, globalKey, null, Instant.EPOCH, null,
                Instant.EPOCH, null, null, null, 1L, null, new RoundView.StrategySpec(strategy, null), null, null, null,
                Map.of(), null, null);
    }
}
