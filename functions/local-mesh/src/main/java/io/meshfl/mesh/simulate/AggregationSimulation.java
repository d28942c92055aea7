package io.meshfl.mesh.simulate;

import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardedAggregation;
import io.meshfl.core.shard.ShardedAggregation.Invocation;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.Strategy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one round's sharded aggregation with the real node code against a local S3 server, every node an invocation
 * on a bounded pool, measures each invocation, and compares the published model with the single aggregator's.
 */
final class AggregationSimulation {

    /** What the command asked for. */
    record Settings(int domains, long params, int shards, int fanout, Strategy strategy, int concurrency, long seed,
                    Path dataDir, boolean compare) {
    }

    /** One invocation as measured: what it read, allocated and wrote, and how long it took. */
    record Measured(Invocation invocation, long bytesRead, long gets, long puts, long otherRequests,
                    long heapAllocated, long millis) {
    }

    private AggregationSimulation() {
    }

    static int run(Settings settings, PrintStream out) throws Exception {
        List<TensorSpec> layout = SimulatedRound.layout(settings.params());
        Path data = settings.dataDir();
        Files.createDirectories(data);
        try (SimulationServer server = new SimulationServer(data.resolve("s3"), 4 * settings.concurrency()
                + Math.min(settings.domains(), 2000) + 64)) {
            long started = System.nanoTime();
            List<UpdateRef> updates = SimulatedRound.store(server.store, layout, settings.domains(), settings.seed(),
                    data.resolve("generate"));
            out.printf("stored %d updates of %d float32 parameters (%.2f GB) in %.1f s%n", settings.domains(),
                    settings.params(), settings.domains() * settings.params() * 4 / 1e9, seconds(started));

            List<Measured> measured = Collections.synchronizedList(new ArrayList<>());
            String outputKey = "models/" + SimulatedRound.MODEL + "/global/2.safetensors";
            ShardedAggregation.Round round = new ShardedAggregation.Round(SimulatedRound.MODEL, 2,
                    SimulatedRound.globalKey(), null, updates, outputKey, null, sha -> Map.of("sha256", sha));
            ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency());
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            ShardedAggregation.Result result;
            try {
                result = new ShardedAggregation(server.store, settings.strategy(), data.resolve("scratch"))
                        .run(round, settings.shards(), settings.fanout(), pool, (name, work) -> invoke(server, name,
                                work, measured));
            } finally {
                pool.shutdownNow();
            }
            double wall = seconds(start);
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            out.printf("CPU time of this process (S3 server, clients and nodes) during the aggregation: %.1f s, "
                    + "%.1f s per GB read%n", cpu, cpu / (measured.stream().mapToLong(Measured::bytesRead).sum() / 1e9));

            Boolean equal = null;
            if (settings.compare()) {
                equal = compare(server, settings.strategy(), updates, outputKey, data, out);
            }
            SimulationReport.print(out, settings, wall, measured, result, equal);
            return 0;
        }
    }

    private static Invocation invoke(SimulationServer server, String name, ShardedAggregation.NodeWork work,
            List<Measured> measured) {
        MeasuringStore store = new MeasuringStore(server.store);
        long allocated = MeasuringStore.allocatedByThisThread();
        long start = System.nanoTime();
        try {
            Invocation invocation = work.run(store);
            long heap = MeasuringStore.allocatedByThisThread() - allocated + store.streamThreadAllocated.get();
            measured.add(new Measured(invocation, store.bytesRead.get(), store.gets.get(), store.puts.get(),
                    store.otherRequests.get(), heap, (System.nanoTime() - start) / 1_000_000));
            return invocation;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The single aggregator on the same updates (the stored objects' files, read as the CLI and the file path of
     * the function read them; the function's streamed path gives the same bits). Equal means: within one unit in the
     * last place at every value, and it says how many values differ at all.
     */
    private static boolean compare(SimulationServer server, Strategy strategy, List<UpdateRef> updates,
            String outputKey, Path data, PrintStream out) throws IOException {
        long start = System.nanoTime();
        List<ModelAggregator.UpdateFile> files = updates.stream()
                .map(u -> new ModelAggregator.UpdateFile(u.id(), server.file(u.key()), u.examples())).toList();
        Path single = data.resolve("single.safetensors");
        ModelAggregator.aggregate(strategy, server.file(SimulatedRound.globalKey()), files, ServerState.empty(),
                single, Map.of());
        long differing = 0;
        long worstUlps = 0;
        try (SafetensorsReader expected = SafetensorsReader.open(single);
             SafetensorsReader actual = SafetensorsReader.open(server.file(outputKey))) {
            float[] a = new float[1 << 16];
            float[] b = new float[1 << 16];
            for (TensorSpec tensor : expected.manifest().tensors()) {
                for (long from = 0; from < tensor.elementCount(); from += a.length) {
                    int length = (int) Math.min(a.length, tensor.elementCount() - from);
                    expected.readFloats(tensor.name(), from, a, 0, length);
                    actual.readFloats(tensor.name(), from, b, 0, length);
                    for (int i = 0; i < length; i++) {
                        long ulps = Math.abs((long) Float.floatToIntBits(a[i]) - Float.floatToIntBits(b[i]));
                        differing += ulps == 0 ? 0 : 1;
                        worstUlps = Math.max(worstUlps, ulps);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(single);
        }
        out.printf("single aggregator: %.1f s; values differing from it: %d (at most %d ulp)%n", seconds(start),
                differing, worstUlps);
        return worstUlps <= 1;
    }

    /** CPU time of the whole JVM: the S3 server runs in it too, so this is serving + reading + folding. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
