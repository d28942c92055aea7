package io.meshfl.aggregation.round;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.streaming.StoredHeader;
import io.meshfl.core.streaming.StreamedModel;
import io.meshfl.registry.api.UpdateView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * End to end, one round's close: K updates of P float32 values in the local S3 server (S3Proxy, filesystem blob
 * store, on loopback, as the tests use it) → the next global model in the store, FedAvg. Three lines measured in the
 * same run, best of {@code --repeat}:
 * <ul>
 *   <li>download only: the K objects read by K concurrent GETs and discarded, the bytes the round cannot avoid;</li>
 *   <li>streaming: {@link RoundAggregation} as the function runs it (ranged GETs folded as they arrive, every
 *   SHA-256 checked, the result uploaded and promoted);</li>
 *   <li>download then map: the same with the updates downloaded to scratch first (the path before issue 19).</li>
 * </ul>
 * Scratch space is the peak size of the invocation's scratch directory, sampled every 25 ms, and the ring buffers.
 * Not a test: run it with bench/end-to-end.sh.
 */
public final class StreamingRoundBenchmark {

    private static final String BUCKET = "meshfl-bench-e2e";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long size = Long.parseLong(options.getOrDefault("size", "10000000"));
        int count = Integer.parseInt(options.getOrDefault("count", "100"));
        int repeat = Integer.parseInt(options.getOrDefault("repeat", "2"));
        // Lines to measure (default all): download,hashed,streaming,mapped; "download" is always measured.
        List<String> lines = List.of(options.getOrDefault("lines", "download,hashed,streaming,mapped").split(","));
        Path dir = Files.createDirectories(Path.of(options.getOrDefault("dir", "target/bench-e2e")));
        System.out.printf("MeshFL end-to-end round benchmark: %s, %d cores, max heap %d MiB; P = %d, K = %d%n",
                System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, size, count);
        ExecutorService downloads = Executors.newFixedThreadPool(4);
        try (S3ObjectStore store = RoundFixture.store(BUCKET)) {
            List<UpdateView> updates = uploadUpdates(store, dir, size, count);
            String globalKey = updates.get(0).objectKey();
            double gigabytes = count * (size * 4 + 100) / 1e9;
            double downloadOnly = best(repeat, () -> downloadOnly(store, updates, false));
            System.out.printf("%-62s %8.3f s %6.2f GB/s; %s%n", "download only (K concurrent GETs, bytes discarded)",
                    downloadOnly, gigabytes / downloadOnly, cpu(downloadOnly));
            double hashed = lines.contains("hashed") ? best(repeat, () -> downloadOnly(store, updates, true)) : 0;
            if (hashed > 0) {
                System.out.printf("%-62s %8.3f s %6.2f GB/s  %.2f× download only; %s%n",
                        "download + SHA-256 (the check a round cannot skip)", hashed, gigabytes / hashed,
                        hashed / downloadOnly, cpu(hashed));
            }
            long rings = 0;
            int lanes = Runtime.getRuntime().availableProcessors();
            for (UpdateView update : updates) {
                rings += StreamedModel.bufferBytes(StoredHeader.read(store, update.objectKey()), lanes);
            }
            for (RoundAggregation.Reading reading : RoundAggregation.Reading.values()) {
                if (!lines.contains(reading == RoundAggregation.Reading.DOWNLOAD ? "mapped" : "streaming")) {
                    continue;
                }
                long[] scratch = {0, 0};
                int[] attempt = {0};
                PhaseTimes[] times = {null};
                double seconds = best(repeat, () -> {
                    String model = "bench-" + reading.name().toLowerCase(java.util.Locale.ROOT) + "-" + (attempt[0]++);
                    PhaseTimes run = new PhaseTimes();
                    long[] used = aggregate(store, downloads, dir, reading, model, globalKey, updates, run);
                    scratch[0] = Math.max(scratch[0], used[0]);
                    scratch[1] = Math.max(scratch[1], used[1]);
                    times[0] = run;
                });
                String line = reading == RoundAggregation.Reading.DOWNLOAD
                        ? "download then map (K files in scratch, SHA pass, fold)"
                        : "streaming (ranged GETs folded as they arrive, SHA on the way)";
                System.out.printf("%-62s %8.3f s %6.2f GB/s  %.2f× download only; scratch peak %.1f MiB"
                                + " (downloaded %.1f MiB)%s; last run's phases (ms) %s; %s%n", line, seconds,
                        gigabytes / seconds, seconds / downloadOnly, scratch[0] / 1048576.0, scratch[1] / 1048576.0,
                        reading == RoundAggregation.Reading.DOWNLOAD
                                ? "" : String.format(", ring buffers %.1f MiB", rings / 1048576.0), times[0].millis(),
                        cpu(seconds));
            }
        } finally {
            downloads.shutdownNow();
        }
        System.exit(0); // S3Proxy's child process is stopped by the shutdown hook
    }

    interface Run {
        void run() throws Exception;
    }

    /** CPU seconds of the best run: this JVM (client, fold, SHA) and the S3 server's process. */
    private static double[] lastCpu = {0, 0};

    /**
     * One untimed run first (JIT, connections), then the best of {@code repeat}; {@link #lastCpu} holds the CPU time
     * the best run took in this process and in the S3 server (its child process), which share the machine's cores.
     */
    private static double best(int repeat, Run run) throws Exception {
        run.run();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < repeat; i++) {
            double[] cpuBefore = cpuSeconds();
            long started = System.nanoTime();
            long startedAt = System.currentTimeMillis();
            run.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (Boolean.getBoolean("meshfl.bench.marks")) { // for an outside per-thread CPU sampler
                System.err.printf("timed run from %d to %d ms since the epoch%n", startedAt, System.currentTimeMillis());
            }
            double[] cpuAfter = cpuSeconds();
            if (seconds < best) {
                best = seconds;
                lastCpu = new double[] {cpuAfter[0] - cpuBefore[0], cpuAfter[1] - cpuBefore[1]};
            }
        }
        return best;
    }

    /** CPU seconds so far of this process and of its children (the S3 server); NaN where the OS does not say. */
    private static double[] cpuSeconds() {
        double self = cpuOf(ProcessHandle.current());
        double children = ProcessHandle.current().children().mapToDouble(StreamingRoundBenchmark::cpuOf).sum();
        return new double[] {self, children};
    }

    private static double cpuOf(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** "CPU: this JVM 4.1 s + S3 server 2.3 s = 97 % of 2 cores × wall". */
    private static String cpu(double seconds) {
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("CPU: aggregator JVM %.2f s + S3 server %.2f s = %.0f %% of %d cores × wall", lastCpu[0],
                lastCpu[1], 100 * (lastCpu[0] + lastCpu[1]) / (cores * seconds), cores);
    }

    /** Returns the scratch directory's peak bytes and the bytes downloaded into it. */
    private static long[] aggregate(S3ObjectStore store, ExecutorService downloads, Path dir,
            RoundAggregation.Reading reading, String model, String globalKey, List<UpdateView> updates,
            PhaseTimes times) throws Exception {
        Path work = Files.createDirectories(dir.resolve("scratch"));
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(bytesUnder(work), Math::max);
                try {
                    Thread.sleep(25); // walking the directory costs CPU the round shares
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long downloaded;
        try (LocalCopies copies = LocalCopies.under(work, store, downloads)) {
            new RoundAggregation(store).aggregate(RoundFixture.round(model, 1, globalKey, "fedavg"), updates, copies,
                    times, reading);
            downloaded = copies.downloadedBytes();
            peak.accumulateAndGet(bytesUnder(work), Math::max);
        } finally {
            done.set(true);
            sampler.join();
        }
        store.delete(ObjectKeys.globalModel(model, 2));
        return new long[] {peak.get(), downloaded};
    }

    private static long bytesUnder(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static void downloadOnly(S3ObjectStore store, List<UpdateView> updates, boolean hash) throws Exception {
        ExecutorService streams = Executors.newFixedThreadPool(updates.size());
        try {
            List<Future<Long>> reads = new ArrayList<>();
            for (UpdateView update : updates) {
                reads.add(streams.submit(() -> {
                    byte[] buffer = new byte[1 << 16];
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    long total = 0;
                    try (InputStream in = store.open(update.objectKey())) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            total += n;
                            if (hash) {
                                digest.update(buffer, 0, n);
                            }
                        }
                    }
                    return total + digest.digest()[0];
                }));
            }
            for (Future<Long> read : reads) {
                read.get();
            }
        } finally {
            streams.shutdownNow();
        }
    }

    /** K update files (generated once under {@code dir}) in the store, with their registrations. */
    private static List<UpdateView> uploadUpdates(S3ObjectStore store, Path dir, long size, int count)
            throws IOException {
        List<TensorSpec> layout = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            layout.add(TensorSpec.of("layer" + t + ".weight", Dtype.F32, size / 4 + (t < size % 4 ? 1 : 0)));
        }
        List<UpdateView> updates = new ArrayList<>();
        Path file = dir.resolve("update.safetensors");
        for (int k = 0; k < count; k++) {
            String domain = String.format("d%03d", k);
            String key = ObjectKeys.update("bench", 1, domain);
            var existing = store.head(key);
            if (existing.isPresent() && existing.get().size() > size * 4) {
                String sha256;
                try (StreamedModel stream = StreamedModel.start(store, StoredHeader.read(store, key), 1)) {
                    sha256 = stream.finish();
                }
                updates.add(new UpdateView(1L, 1L, domain, key, existing.get().etag(), sha256, 1 + k, 1, null,
                        io.meshfl.registry.api.UpdateRegistration.UpdateStatus.ACCEPTED, null, null, null,
                        java.time.Instant.EPOCH, false));
                continue;
            }
            RoundFixture.write(file, layout, k);
            updates.add(RoundFixture.upload(store, "bench", 1, domain, file, 1 + k));
        }
        Files.deleteIfExists(file);
        return updates;
    }
}
