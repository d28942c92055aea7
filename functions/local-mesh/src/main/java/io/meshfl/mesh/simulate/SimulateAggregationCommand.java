package io.meshfl.mesh.simulate;

import io.meshfl.core.shard.ShardedStrategies;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfl simulate-aggregation}: one sharded round, every node a small invocation, measured. */
@Command(name = "simulate-aggregation", mixinStandardHelpOptions = true,
        description = {"Aggregates one round of N generated updates with sharded aggregation (shards x tree of partial "
                + "sums, conditional writes), running every node as an invocation on a bounded pool against a local "
                + "S3 server, and reports wall time, bytes read, heap and scratch per invocation.",
            "The last line is one JSON object: wallSeconds, invocations, bytesRead, maxHeapBytes, maxScratchBytes, "
                + "equalsSingleAggregator (every value within 1 ulp of the single aggregator's on the same updates)."})
public class SimulateAggregationCommand implements Callable<Integer> {

    @Option(names = "--domains", required = true, description = "updates in the round")
    int domains;

    @Option(names = "--params", required = true, description = "float32 parameters per model")
    long params;

    @Option(names = "--shards", defaultValue = "4", description = "byte-range shards (default: ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--fanout", defaultValue = "10", description = "updates or partials per tree node (default: ${DEFAULT-VALUE})")
    int fanout;

    @Option(names = "--strategy", defaultValue = "fedavg", description = "fedavg, fedavgm, fedadam, fedyogi, fedadagrad, "
            + "median, trimmed-mean, krum, multi-krum or dp-fedavg (default: ${DEFAULT-VALUE})")
    String strategy;

    @Option(names = "--param", description = "a strategy parameter, NAME=VALUE, repeatable (dp-fedavg needs "
            + "clipNorm and noiseMultiplier, e.g. --param clipNorm=1 --param noiseMultiplier=1)")
    Map<String, Double> strategyParams = new java.util.LinkedHashMap<>();

    @Option(names = "--concurrency", defaultValue = "16", description = "invocations at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1", description = "the updates' seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data-dir", description = "where the S3 server keeps the objects (default: a new temporary directory, deleted after)")
    Path dataDir;

    @Option(names = "--no-compare", description = "skip the single aggregator's run on the same updates")
    boolean noCompare;

    @Override
    public Integer call() throws Exception {
        if (domains < 1 || params < 1 || shards < 1 || fanout < 2 || concurrency < 1) {
            System.err.println("meshfl simulate-aggregation: --domains, --params, --shards and --concurrency must be "
                    + "positive and --fanout at least 2");
            return 1;
        }
        Strategy chosen;
        try {
            chosen = StrategyFactory.create(strategy, strategyParams);
            ShardedStrategies.kind(chosen); // refuse before generating gigabytes
            if (chosen instanceof DifferentialPrivacy dp) {
                // One secret seed for the round, drawn here: the tree's roots and the single aggregator it is compared
                // with add the same noise.
                chosen = dp.withNoiseSeed(dp.newNoiseSeed());
            }
        } catch (CannotAggregate e) {
            System.err.println("meshfl simulate-aggregation: " + e.getMessage());
            return 1;
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("meshfl-simulation") : dataDir;
        try {
            return AggregationSimulation.run(new AggregationSimulation.Settings(domains, params, shards, fanout,
                    chosen, concurrency, seed, dir, !noCompare), System.out);
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
