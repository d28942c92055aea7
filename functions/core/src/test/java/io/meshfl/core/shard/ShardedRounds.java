package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ModelAggregator.UpdateFile;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A random round stored in the tests' S3 server: a global model of mixed dtypes and odd sizes, K updates (Gaussian
 * values, random example counts), and the same round aggregated by the single aggregator ({@link ModelAggregator}
 * over local files) and by {@link ShardedAggregation}.
 */
final class ShardedRounds {

    static final Dtype[] FLOATING = {Dtype.F32, Dtype.F16, Dtype.BF16, Dtype.F64};
    private static ObjectStore store;

    final String prefix;
    final Path dir;
    final List<TensorSpec> layout;
    final List<Path> updateFiles = new ArrayList<>();
    final List<UpdateRef> updates = new ArrayList<>();
    final Path global;

    ShardedRounds(String prefix, SplittableRandom random, int count, boolean withCounter) throws IOException {
        this.prefix = prefix;
        this.dir = Files.createTempDirectory("meshfl-shard");
        this.layout = new ArrayList<>();
        int tensors = 1 + random.nextInt(4);
        for (int t = 0; t < tensors; t++) {
            long size = random.nextBoolean() ? 1 + random.nextInt(40) : 1 + random.nextInt(40_000);
            layout.add(TensorSpec.of("t" + t, FLOATING[random.nextInt(FLOATING.length)], size));
            if (withCounter && t == 0) {
                layout.add(TensorSpec.of("counter", Dtype.I64, 3));
            }
        }
        this.global = write(dir.resolve("global.safetensors"), random);
        store().put(prefix + "global.safetensors", global, Map.of());
        for (int k = 0; k < count; k++) {
            Path file = write(dir.resolve("u" + k + ".safetensors"), random);
            updateFiles.add(file);
            String key = prefix + "updates/d" + k + ".safetensors";
            String etag = store().put(key, file, Map.of()).etag();
            updates.add(new UpdateRef("d" + k, key, etag, 1 + random.nextInt(1000)));
        }
    }

    /** The single aggregator's output; the state it writes goes to {@code stateOut} when not null. */
    Path single(Strategy strategy, ServerState state, Path stateOut) throws IOException {
        List<UpdateFile> files = new ArrayList<>();
        for (int k = 0; k < updates.size(); k++) {
            files.add(new UpdateFile(updates.get(k).id(), updateFiles.get(k), updates.get(k).examples()));
        }
        Path out = dir.resolve("single-" + System.nanoTime() + ".safetensors");
        ModelAggregator.Result result = ModelAggregator.aggregate(strategy, global, files, state, out, Map.of());
        if (stateOut != null) {
            ServerStateFile.write(stateOut, result.outcome().state());
        }
        return out;
    }

    /** The sharded aggregation's output, downloaded. */
    ShardedAggregation.Result sharded(Strategy strategy, String stateKey, int shards, int fanout, String outputKey,
            String stateOutputKey) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ShardedAggregation.Round round = new ShardedAggregation.Round("m", 1, prefix + "global.safetensors",
                    stateKey, updates, outputKey, stateOutputKey, sha -> Map.of("sha256", sha));
            return new ShardedAggregation(store(), strategy, dir.resolve("scratch"))
                    .run(round, shards, fanout, pool, ShardedAggregation.direct(store()));
        } finally {
            pool.shutdownNow();
        }
    }

    Path download(String key) {
        Path file = dir.resolve("dl-" + System.nanoTime() + ".safetensors");
        store().download(key, file);
        return file;
    }

    /** Every tensor's values as doubles (floating) or exactly (I64, as doubles too: small counters). */
    static double[][] values(Path file, List<TensorSpec> layout) throws IOException {
        double[][] values = new double[layout.size()][];
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (int t = 0; t < layout.size(); t++) {
                TensorSpec tensor = layout.get(t);
                if (tensor.dtype() == Dtype.I64) {
                    values[t] = java.util.Arrays.stream(reader.readLongs(tensor.name())).asDoubleStream().toArray();
                } else {
                    values[t] = new double[(int) tensor.elementCount()];
                    reader.readDoubles(tensor.name(), 0, values[t], 0, values[t].length);
                }
            }
        }
        return values;
    }

    private Path write(Path file, SplittableRandom random) throws IOException {
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, Map.of())) {
            for (TensorSpec tensor : layout) {
                if (tensor.dtype() == Dtype.I64) {
                    writer.writeLongs(tensor.name(), random.longs(tensor.elementCount(), 0, 1000).toArray());
                    continue;
                }
                double[] values = new double[(int) tensor.elementCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextGaussian() * 3;
                }
                writer.writeDoubles(tensor.name(), 0, values, 0, values.length);
            }
            writer.finish();
        }
        return file;
    }

    static synchronized ObjectStore store() {
        if (store == null) {
            S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
            s3.ensureBucket("core-shard");
            store = S3ObjectStore.connect(new S3Settings("core-shard", s3.region(), Optional.of(s3.uri()), true,
                    Optional.of(s3.accessKey()), Optional.of(s3.secretKey())));
        }
        return store;
    }
}
