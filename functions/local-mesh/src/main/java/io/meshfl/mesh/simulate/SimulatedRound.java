package io.meshfl.mesh.simulate;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A round of N domains' updates of P float32 parameters, generated from a seed (update k from seed + k, so any
 * machine makes the same bytes) and stored in the simulation's S3 server as the training functions would: the global
 * model at {@code models/sim/global/1.safetensors}, updates under {@code models/sim/rounds/1/updates/}.
 */
final class SimulatedRound {

    static final String MODEL = "sim";

    private SimulatedRound() {
    }

    /** Four tensors of odd sizes, as a real model's layers are, so shards cut through them. */
    static List<TensorSpec> layout(long params) {
        long bias = Math.min(7, Math.max(1, params / 4));
        long first = Math.max(1, params * 3 / 5 | 1);
        long second = Math.max(0, Math.min(params - first - bias, params * 3 / 10 | 1));
        long third = params - first - second - bias;
        List<TensorSpec> layout = new ArrayList<>();
        layout.add(TensorSpec.of("layer1.weight", Dtype.F32, first));
        if (second > 0) {
            layout.add(TensorSpec.of("layer2.weight", Dtype.F32, second));
        }
        if (third > 0) {
            layout.add(TensorSpec.of("layer3.weight", Dtype.F32, third));
        }
        layout.add(TensorSpec.of("layer3.bias", Dtype.F32, bias));
        return layout;
    }

    /** Writes the global model and the updates (two at a time: generating is CPU work). */
    static List<UpdateRef> store(ObjectStore store, List<TensorSpec> layout, int domains, long seed, Path scratch)
            throws IOException {
        Files.createDirectories(scratch);
        Path global = scratch.resolve("global.safetensors");
        write(global, layout, seed - 1);
        store.put(globalKey(), global, Map.of());
        Files.delete(global);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<UpdateRef>> stored = new ArrayList<>();
            for (int k = 0; k < domains; k++) {
                int domain = k;
                stored.add(pool.submit(() -> {
                    Path file = scratch.resolve("update-" + domain + ".safetensors");
                    write(file, layout, seed + domain);
                    String key = "models/" + MODEL + "/rounds/1/updates/domain-" + domain + ".safetensors";
                    String etag = store.put(key, file, Map.of()).etag();
                    Files.delete(file);
                    return new UpdateRef("domain-" + domain, key, etag, 100 + new SplittableRandom(seed + domain).nextInt(900));
                }));
            }
            List<UpdateRef> updates = new ArrayList<>();
            for (Future<UpdateRef> update : stored) {
                updates.add(update.get());
            }
            return updates;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing the updates", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not store an update: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static String globalKey() {
        return "models/" + MODEL + "/global/1.safetensors";
    }

    /** Values uniform in [−1, 1) from the seed: cheap to make, and sums that do not cancel to zero. */
    private static void write(Path file, List<TensorSpec> layout, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, Map.of())) {
            writer.fill(() -> random.nextInt() * 0x1p-31f);
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
