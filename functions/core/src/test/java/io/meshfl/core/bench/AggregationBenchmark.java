package io.meshfl.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsReader.Access;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.FlatModelWriter;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Aggregation throughput over update files on disk, against two baselines measured in the same run: this
 * machine's streaming-read bandwidth (a sum over a large direct buffer, and the same over the update files) and
 * bench/numpy_baseline.py (Flower's way of aggregating). Not a test: run it with bench/run.sh.
 *
 * <p>Arguments: {@code --dir DIR} (where update files are generated once and reused), {@code --sizes 1000000,10000000},
 * {@code --counts 10,100}, {@code --strategies fedavg,median,trimmed-mean}, {@code --repeat 2},
 * {@code --numpy bench/numpy_baseline.py} (omit to skip the baseline).
 */
public final class AggregationBenchmark {

    private static final int TENSORS = 4;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path dir = Path.of(options.getOrDefault("dir", "target/bench"));
        List<Long> sizes = longs(options.getOrDefault("sizes", "1000000,10000000"));
        List<Long> counts = longs(options.getOrDefault("counts", "10,100"));
        List<String> strategies = List.of(options.getOrDefault("strategies", "fedavg,median,trimmed-mean").split(","));
        int repeat = Integer.parseInt(options.getOrDefault("repeat", "2"));
        String numpy = options.get("numpy");
        int maxCount = counts.stream().mapToInt(Long::intValue).max().orElseThrow();

        System.out.printf("MeshFL aggregation benchmark: %s, %d cores, max heap %d MiB%n", System.getProperty("java.vm.name")
                + " " + Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        double memoryBandwidth = memoryBandwidth();
        System.out.printf("streaming-read bandwidth, sum over a 512 MiB direct buffer: %.2f GB/s%n", memoryBandwidth);

        System.out.printf("%n%-13s %9s %4s %8s %9s %8s %8s %8s %10s %8s %s%n", "strategy", "P", "K", "input GB",
                "MeshFL s", "GB/s", "%memBW", "%fileBW", "numpy s", "×numpy", "check (result sums)");
        for (long size : sizes) {
            List<Path> files = updateFiles(dir, size, maxCount);
            for (long count : counts) {
                List<Path> inputs = files.subList(0, (int) count);
                double gigabytes = count * size * 4 / 1e9;
                double fileBandwidth = fileBandwidth(inputs, gigabytes);
                for (String name : strategies) {
                    JsonNode baseline = numpy == null ? null : numpy(numpy, name, inputs, repeat);
                    double numpySeconds = baseline == null ? Double.NaN : baseline.get("seconds").asDouble();
                    // Both readers on the same files in the same run, positional (the default) first.
                    Measurement java = null;
                    for (Access access : Access.values()) {
                        java = measure(name, inputs, dir, repeat, access);
                        String check = baseline == null ? String.format("%.6g", java.resultSum())
                                : String.format("%.6g vs %.6g", java.resultSum(), baseline.get("result_sum").asDouble());
                        System.out.printf("%-13s %9d %4d %8.2f %9.3f %8.2f %7.0f%% %7.0f%% %10.3f %8.1f %s%n",
                                name + (access == Access.MAPPED ? "/mmap" : "/pread"), size, count, gigabytes,
                                java.seconds(), gigabytes / java.seconds(), 100 * gigabytes / java.seconds() / memoryBandwidth,
                                100 * gigabytes / java.seconds() / fileBandwidth, numpySeconds, numpySeconds / java.seconds(), check);
                    }
                    if (name.equals("fedavg")) {
                        System.out.printf("%13s heap allocated during the run: %.1f MiB (bound 3·P·4 = %.1f MiB), direct buffers %.1f MiB;"
                                        + " file streaming-read bandwidth %.2f GB/s%n", "", java.allocatedBytes() / 1048576.0,
                                3 * size * 4 / 1048576.0, java.directBytes() / 1048576.0, fileBandwidth);
                        double inMemory = bestInMemory(strategy(name), inputs, size, repeat, Access.POSITIONAL);
                        System.out.printf("%13s numpy's work (result left in an array: no file, no SHA-256): %.3f s, %.2f GB/s, %.0f%% memBW,"
                                        + " %.1f× numpy%n", "", inMemory, gigabytes / inMemory,
                                100 * gigabytes / inMemory / memoryBandwidth, numpySeconds / inMemory);
                    }
                    System.out.flush();
                }
            }
        }
    }

    record Measurement(double seconds, long allocatedBytes, long directBytes, double resultSum) {
    }

    private static Strategy strategy(String name) {
        return StrategyFactory.create(name, Map.of());
    }

    private static Measurement measure(String name, List<Path> inputs, Path dir, int repeat, Access access)
            throws IOException {
        Strategy strategy = strategy(name);
        Path output = dir.resolve("aggregated.safetensors");
        double best = Double.POSITIVE_INFINITY;
        long allocated = Long.MAX_VALUE;
        long direct = 0;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        warmUp(() -> aggregateOnce(strategy, inputs, output, access));
        // No System.gc() between runs: a function does not collect before each round, and a forced full GC shrank
        // the heap so that the next run paid for growing it again (7 of 26 ms at P = 1M, K = 10).
        for (int run = 1; run <= repeat; run++) {
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long started = System.nanoTime();
            direct = Math.max(direct, aggregateOnce(strategy, inputs, output, access));
            double seconds = (System.nanoTime() - started) / 1e9;
            best = Math.min(best, seconds);
            // The calling thread allocates every lane's buffers; lane threads allocate only buffer views.
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
        }
        return new Measurement(best, allocated, direct, sum(output));
    }

    /**
     * The same run as {@link #measure} but with the result left in a {@code float[]}, as numpy leaves its result in
     * arrays: the work the numpy baseline does (load + aggregate), best of {@code repeat} after the same warm-up.
     */
    private static double bestInMemory(Strategy strategy, List<Path> inputs, long size, int repeat, Access access)
            throws IOException {
        warmUp(() -> aggregateInMemory(strategy, inputs, size, access));
        double best = Double.POSITIVE_INFINITY;
        for (int run = 0; run < repeat; run++) {
            long started = System.nanoTime();
            aggregateInMemory(strategy, inputs, size, access);
            best = Math.min(best, (System.nanoTime() - started) / 1e9);
        }
        return best;
    }

    interface Run {
        void run() throws IOException;
    }

    /**
     * Runs, not counted, for at least a second (one run when a run is longer), so the JIT is as warm as in a
     * long-lived function: a single 30 ms warm-up run of a 40 MB input left it half done.
     */
    private static void warmUp(Run run) throws IOException {
        long started = System.nanoTime();
        for (int warmUp = 0; warmUp < 50 && (warmUp == 0 || System.nanoTime() - started < 1_000_000_000L); warmUp++) {
            run.run();
        }
    }

    private static float[] aggregateInMemory(Strategy strategy, List<Path> inputs, long size, Access access)
            throws IOException {
        return withUpdates(inputs, access, (manifest, updates) -> {
            float[] result = new float[Math.toIntExact(size)];
            int[] position = {0};
            strategy.aggregate(new RoundInput(updates.get(0).weights(), updates), ServerState.empty(), (values, offset, length) -> {
                System.arraycopy(values, offset, result, position[0], length);
                position[0] += length;
            });
            return result;
        });
    }

    /** Opens the inputs, aggregates them into {@code output}, closes everything; returns direct memory in use. */
    private static long aggregateOnce(Strategy strategy, List<Path> inputs, Path output, Access access)
            throws IOException {
        return withUpdates(inputs, access, (manifest, updates) -> {
            long direct = directBufferBytes();
            try (SafetensorsWriter writer = SafetensorsWriter.create(output, manifest.tensors(), Map.of())) {
                strategy.aggregate(new RoundInput(updates.get(0).weights(), updates), ServerState.empty(), new FlatModelWriter(writer));
                writer.finish();
            }
            return direct;
        });
    }

    interface UpdatesBody<T> {
        T apply(ModelManifest manifest, List<ClientUpdate> updates) throws IOException;
    }

    /** Opens every input as an update laid out like the first, runs {@code body}, closes every reader. */
    private static <T> T withUpdates(List<Path> inputs, Access access, UpdatesBody<T> body) throws IOException {
        List<SafetensorsReader> readers = new ArrayList<>();
        try (SafetensorsReader first = SafetensorsReader.open(inputs.get(0))) {
            List<ClientUpdate> updates = new ArrayList<>();
            for (Path input : inputs) {
                SafetensorsReader reader = SafetensorsReader.open(input, access);
                readers.add(reader);
                long examples = Long.parseLong(reader.metadata().get("num_examples"));
                updates.add(new ClientUpdate(input.getFileName().toString(), examples, new FlatModelReader(reader, first.manifest())));
            }
            return body.apply(first.manifest(), updates);
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    private static double sum(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            FlatModelReader flat = FlatModelReader.of(reader);
            float[] chunk = new float[1 << 16];
            double sum = 0;
            for (long from = 0; from < flat.size(); from += chunk.length) {
                int length = (int) Math.min(chunk.length, flat.size() - from);
                flat.read(from, chunk, 0, length);
                for (int i = 0; i < length; i++) {
                    sum += chunk[i];
                }
            }
            return sum;
        }
    }

    private static JsonNode numpy(String script, String strategy, List<Path> inputs, int repeat) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script, "--strategy", strategy, "--repeat", Integer.toString(repeat)));
        inputs.forEach(p -> command.add(p.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream stdout = process.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IOException("numpy baseline failed: " + command.subList(0, 6));
        }
        return new ObjectMapper().readTree(out);
    }

    /** Best of five sums (four independent accumulators) over a 512 MiB direct buffer. */
    private static double memoryBandwidth() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(512 << 20).order(ByteOrder.nativeOrder());
        for (int i = 0; i < buffer.capacity(); i += 8) {
            buffer.putLong(i, i);
        }
        double best = 0;
        long guard = 0;
        for (int pass = 0; pass < 6; pass++) {
            long started = System.nanoTime();
            guard += sumLongs(buffer, buffer.capacity());
            double seconds = (System.nanoTime() - started) / 1e9;
            if (pass > 0) {
                best = Math.max(best, buffer.capacity() / seconds / 1e9);
            }
        }
        if (guard == 42) {
            System.out.println();
        }
        return best;
    }

    /** Reads the update files through a direct buffer and sums them: the ceiling for anything that reads them. */
    private static double fileBandwidth(List<Path> files, double gigabytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 18).order(ByteOrder.nativeOrder());
        double best = 0;
        long guard = 0;
        for (int pass = 0; pass < 3; pass++) {
            long started = System.nanoTime();
            for (Path file : files) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    long position = 0;
                    while (true) {
                        buffer.clear();
                        int read = channel.read(buffer, position);
                        if (read < 0) {
                            break;
                        }
                        position += read;
                        guard += sumLongs(buffer, read & ~7);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (pass > 0) {
                best = Math.max(best, gigabytes / seconds);
            }
        }
        if (guard == 42) {
            System.out.println();
        }
        return best;
    }

    private static long sumLongs(ByteBuffer buffer, int bytes) {
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        int i = 0;
        for (; i + 32 <= bytes; i += 32) {
            a += buffer.getLong(i);
            b += buffer.getLong(i + 8);
            c += buffer.getLong(i + 16);
            d += buffer.getLong(i + 24);
        }
        for (; i + 8 <= bytes; i += 8) {
            a += buffer.getLong(i);
        }
        return a + b + c + d;
    }

    private static long directBufferBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    /** K update files of P float32 values in four tensors, generated once (random values, random example counts). */
    private static List<Path> updateFiles(Path dir, long size, int count) throws IOException {
        Path sizeDir = dir.resolve("P" + size);
        Files.createDirectories(sizeDir);
        List<TensorSpec> layout = new ArrayList<>();
        for (int t = 0; t < TENSORS; t++) {
            layout.add(TensorSpec.of("layer" + t + ".weight", Dtype.F32, size / TENSORS + (t < size % TENSORS ? 1 : 0)));
        }
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Path file = sizeDir.resolve("update-" + k + ".safetensors");
            files.add(file);
            if (Files.exists(file) && Files.size(file) > size * 4) {
                continue;
            }
            SplittableRandom random = new SplittableRandom(k * 31L + size);
            Map<String, String> metadata = Map.of("num_examples", Integer.toString(1 + random.nextInt(1000)));
            try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, metadata)) {
                writer.fill(() -> random.nextDouble() * 2 - 1);
                writer.finish();
            }
        }
        return files;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static List<Long> longs(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(Long::parseLong).toList();
    }
}
