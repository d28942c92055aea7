package io.meshfl.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sharded aggregation against the single aggregator on the same random rounds (F32, F16, BF16 and F64 tensors of odd
 * sizes, an I64 counter, stored in a real S3 server):
 * <ul>
 *   <li>one leaf per shard (fan-in ≥ K): FedAvg bit for bit — the same terms folded in the same order;</li>
 *   <li>deeper trees: the partial sums associate the double-precision sum differently, so the result is within one
 *       unit in the last place of the output dtype, except where the sum cancels to below the double rounding
 *       error: the bound asserted is |Δ| ≤ 1 ulp + (K + 2)·2⁻⁵²·Σ|wₖxₖ|;</li>
 *   <li>median and trimmed mean (shard-parallel, no tree): bit for bit;</li>
 *   <li>Krum and Multi-Krum (per-shard partial distances, one selection, per-shard means): bit for bit;</li>
 *   <li>the server optimisers: model and state to 1e-6 relative;</li>
 *   <li>differential privacy (norm pass with exact sums, clipped leaves, noise once per value at the roots) with the
 *       single aggregator's seed: with one leaf per shard bit for bit, deeper trees as FedAvg's (the clipped sum
 *       associates differently, then the same noise is added), the privacy accountant's state equal; DP-FedAdam to
 *       1e-6 relative.</li>
 * </ul>
 */
class ShardedAggregationProperties {

    // Each try's keys name all its parameters: jqwik repeats seeds (edge cases such as 0, a failed sample first), and
    // an output key left by a try with other parameters would be found stored and never rewritten (conditional writes).

    @Property(tries = 3)
    void oneLeafPerShardGivesFedAvgBitForBit(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int count,
            @ForAll @IntRange(min = 1, max = 6) int shards) throws IOException {
        ShardedRounds round = new ShardedRounds("leaf-" + seed + "-" + count + "-" + shards + "/", new SplittableRandom(seed), count, seed % 2 == 0);
        Strategy fedavg = StrategyFactory.create("fedavg", Map.of());

        Path single = round.single(fedavg, ServerState.empty(), null);
        ShardedAggregation.Result result = round.sharded(fedavg, null, shards, Math.max(2, count), round.prefix + "out",
                null);

        try (SafetensorsReader expected = SafetensorsReader.open(single);
             SafetensorsReader actual = SafetensorsReader.open(round.download(round.prefix + "out"))) {
            assertThat(actual.dataSha256()).isEqualTo(expected.dataSha256()).isEqualTo(result.sha256());
            assertThat(actual.manifest()).isEqualTo(expected.manifest());
        }
    }

    @Property(tries = 3)
    void aDeeperTreeIsWithinOneUlpOfFedAvg(@ForAll long seed, @ForAll @IntRange(min = 3, max = 12) int count,
            @ForAll @IntRange(min = 2, max = 3) int fanout, @ForAll @IntRange(min = 1, max = 4) int shards)
            throws IOException {
        ShardedRounds round = new ShardedRounds("tree-" + seed + "-" + count + "-" + fanout + "-" + shards + "/", new SplittableRandom(seed), count, true);
        Strategy fedavg = StrategyFactory.create("fedavg", Map.of());

        double[][] expected = ShardedRounds.values(round.single(fedavg, ServerState.empty(), null), round.layout);
        round.sharded(fedavg, null, shards, fanout, round.prefix + "out", null);
        double[][] actual = ShardedRounds.values(round.download(round.prefix + "out"), round.layout);

        double[][] magnitude = weightedMagnitudes(round);
        for (int t = 0; t < round.layout.size(); t++) {
            TensorSpec tensor = round.layout.get(t);
            for (int i = 0; i < expected[t].length; i++) {
                double bound = ulp(tensor.dtype(), expected[t][i]) + (count + 2) * Math.ulp(1.0) * magnitude[t][i];
                assertThat(Math.abs(actual[t][i] - expected[t][i])).as("%s[%d]", tensor.name(), i)
                        .isLessThanOrEqualTo(tensor.dtype() == Dtype.I64 ? 0 : bound);
            }
        }
    }

    @Property(tries = 2)
    void coordinateWiseStrategiesRunShardParallelBitForBit(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5) int count, @ForAll @IntRange(min = 1, max = 3) int shards)
            throws IOException {
        ShardedRounds round = new ShardedRounds("cw-" + seed + "-" + count + "-" + shards + "/", new SplittableRandom(seed), count, true);
        for (String name : List.of("median", "trimmed-mean")) {
            Strategy strategy = StrategyFactory.create(name, Map.of());

            Path single = round.single(strategy, ServerState.empty(), null);
            round.sharded(strategy, null, shards, 2, round.prefix + name, null);

            try (SafetensorsReader expected = SafetensorsReader.open(single);
                 SafetensorsReader actual = SafetensorsReader.open(round.download(round.prefix + name))) {
                assertThat(actual.dataSha256()).as(name).isEqualTo(expected.dataSha256());
            }
        }
    }

    @Property(tries = 3)
    void krumAndMultiKrumFromPerShardDistancesGiveTheSingleAggregatorsModelBitForBit(@ForAll long seed,
            @ForAll @IntRange(min = 5, max = 8) int count, @ForAll @IntRange(min = 1, max = 4) int shards)
            throws IOException {
        ShardedRounds round = new ShardedRounds("krum-" + seed + "-" + count + "-" + shards + "/", new SplittableRandom(seed), count, seed % 2 == 0);
        for (String name : List.of("krum", "multi-krum")) {
            Strategy strategy = StrategyFactory.create(name, Map.of("byzantine", 1));

            Path single = round.single(strategy, ServerState.empty(), null);
            round.sharded(strategy, null, shards, 2, round.prefix + name, null);

            // Random updates: no two scores tie, so the summed per-shard distances keep the same updates, and the
            // kept updates' mean is FedAvg's over each shard's range (integer counters: the maximum over all).
            try (SafetensorsReader expected = SafetensorsReader.open(single);
                 SafetensorsReader actual = SafetensorsReader.open(round.download(round.prefix + name))) {
                assertThat(actual.dataSha256()).as(name).isEqualTo(expected.dataSha256());
            }
        }
    }

    @Property(tries = 1)
    void serverOptimisersMatchTheSingleAggregatorToOneMillionth(@ForAll long seed,
            @ForAll @IntRange(min = 3, max = 5) int count, @ForAll @IntRange(min = 2, max = 3) int shards)
            throws IOException {
        ShardedRounds round = new ShardedRounds("opt-" + seed + "-" + count + "-" + shards + "/", new SplittableRandom(seed), count, false);
        for (String name : List.of("fedavgm", "fedadam", "fedyogi", "fedadagrad", "dp-fedadam")) {
            Strategy strategy = name.startsWith("dp-")
                    ? DifferentialPrivacy.around(StrategyFactory.create("fedadam", Map.of()),
                            new DifferentialPrivacy.Settings(40, 0.3, 1, 1e-5, Double.POSITIVE_INFINITY))
                            .withNoiseSeed(seed)
                    : StrategyFactory.create(name, Map.of());
            // A state from a first round, stored as the function stores it, so the second round reads real moments.
            Path stateIn = round.dir.resolve(name + "-state0.safetensors");
            round.single(strategy, ServerState.empty(), stateIn);
            String stateKey = round.prefix + name + "/state0";
            ShardedRounds.store().put(stateKey, stateIn, Map.of());
            Path stateOut = round.dir.resolve(name + "-state1.safetensors");

            Path single = round.single(strategy, ServerStateFile.read(stateIn), stateOut);
            round.sharded(strategy, stateKey, shards, 2, round.prefix + name + "/out", round.prefix + name + "/state1");

            assertClose(name, ShardedRounds.values(single, round.layout),
                    ShardedRounds.values(round.download(round.prefix + name + "/out"), round.layout));
            ServerState expected = ServerStateFile.read(stateOut);
            ServerState actual = ServerStateFile.read(round.download(round.prefix + name + "/state1"));
            assertThat(actual.values()).isEqualTo(expected.values());
            assertThat(actual.vectors().keySet()).isEqualTo(expected.vectors().keySet());
            for (String vector : expected.vectors().keySet()) {
                float[] e = expected.vectors().get(vector);
                float[] a = actual.vectors().get(vector);
                assertClose(name + " state " + vector, new double[][] {toDoubles(e)}, new double[][] {toDoubles(a)});
            }
        }
    }

    @Property(tries = 3)
    void differentialPrivacyInShardsIsTheSingleAggregatorsWithTheSameNoiseSeed(@ForAll long seed,
            @ForAll @IntRange(min = 3, max = 7) int count, @ForAll @IntRange(min = 1, max = 4) int shards)
            throws IOException {
        ShardedRounds round = new ShardedRounds("dp-" + seed + "-" + count + "-" + shards + "/",
                new SplittableRandom(seed), count, seed % 2 == 0);
        // The bound C between the updates' distances to the global model: some are clipped, some taken as they are.
        double[] norms = norms(round);
        double clipNorm = java.util.Arrays.stream(norms).sorted().toArray()[count / 2];
        DifferentialPrivacy dp = ((DifferentialPrivacy) StrategyFactory.create("dp-fedavg",
                Map.of("clipNorm", clipNorm, "noiseMultiplier", 0.7))).withNoiseSeed(seed);
        Path stateOut = round.dir.resolve("dp-state1.safetensors");
        Path single = round.single(dp, ServerState.empty(), stateOut);
        // One leaf per shard (fan-in K), then a deeper tree (fan-in 2).
        for (int fanout : List.of(count, 2)) {
            ShardedAggregation.Result result = round.sharded(dp, null, shards, fanout, round.prefix + fanout + "/out",
                    round.prefix + fanout + "/state1");

            Path sharded = round.download(round.prefix + fanout + "/out");
            if (fanout >= count) {
                // One leaf per shard: the same exact norms, the same clipped values folded in the same order, the same
                // noise on each value.
                try (SafetensorsReader expected = SafetensorsReader.open(single);
                     SafetensorsReader actual = SafetensorsReader.open(sharded)) {
                    assertThat(actual.dataSha256()).isEqualTo(expected.dataSha256()).isEqualTo(result.sha256());
                }
            } else {
                double[][] expected = ShardedRounds.values(single, round.layout);
                double[][] actual = ShardedRounds.values(sharded, round.layout);
                double[][] global = ShardedRounds.values(round.global, round.layout);
                double[][] magnitude = new double[global.length][];
                for (int t = 0; t < global.length; t++) {
                    magnitude[t] = new double[global[t].length];
                }
                for (Path update : round.updateFiles) {
                    double[][] values = ShardedRounds.values(update, round.layout);
                    for (int t = 0; t < values.length; t++) {
                        for (int i = 0; i < values[t].length; i++) {
                            magnitude[t][i] += Math.abs(values[t][i]) / count;
                        }
                    }
                }
                for (int t = 0; t < round.layout.size(); t++) {
                    TensorSpec tensor = round.layout.get(t);
                    for (int i = 0; i < expected[t].length; i++) {
                        // Σ (1/K)|clip(xₖ)| ≤ 2|g| + mean |xₖ|; the noise is added after, rounding once more in double.
                        double scale = 2 * Math.abs(global[t][i]) + magnitude[t][i];
                        double bound = 2 * ulp(tensor.dtype(), expected[t][i]) + (count + 2) * Math.ulp(1.0) * scale;
                        assertThat(Math.abs(actual[t][i] - expected[t][i])).as("%s[%d]", tensor.name(), i)
                                .isLessThanOrEqualTo(tensor.dtype() == Dtype.I64 ? 0 : bound);
                    }
                }
            }
            // The accountant: spent once, in the state the stitch wrote once.
            assertThat(ServerStateFile.read(round.download(round.prefix + fanout + "/state1")).values())
                    .isEqualTo(ServerStateFile.read(stateOut).values()).containsEntry("steps", "1")
                    .containsEntry("strategy", "dp-fedavg");
        }
    }

    /** Each update's L2 distance to the global model (doubles; only to place the clip bound between them). */
    private static double[] norms(ShardedRounds round) throws IOException {
        double[][] global = ShardedRounds.values(round.global, round.layout);
        double[] norms = new double[round.updates.size()];
        for (int k = 0; k < norms.length; k++) {
            double[][] values = ShardedRounds.values(round.updateFiles.get(k), round.layout);
            double sum = 0;
            for (int t = 0; t < values.length; t++) {
                if (round.layout.get(t).dtype() != Dtype.I64) {
                    for (int i = 0; i < values[t].length; i++) {
                        sum += (values[t][i] - global[t][i]) * (values[t][i] - global[t][i]);
                    }
                }
            }
            norms[k] = Math.sqrt(sum);
        }
        return norms;
    }

    private static void assertClose(String what, double[][] expected, double[][] actual) {
        for (int t = 0; t < expected.length; t++) {
            assertThat(actual[t]).hasSameSizeAs(expected[t]);
            for (int i = 0; i < expected[t].length; i++) {
                double tolerance = 1e-6 * Math.max(Math.abs(expected[t][i]), 1e-6);
                assertThat(Math.abs(actual[t][i] - expected[t][i])).as("%s [%d][%d]", what, t, i)
                        .isLessThanOrEqualTo(tolerance);
            }
        }
    }

    /** Σₖ |wₖ·xₖ| per element: the scale of the rounding error of any order of summation. */
    private static double[][] weightedMagnitudes(ShardedRounds round) throws IOException {
        double total = round.updates.stream().mapToLong(PartialSum.UpdateRef::examples).sum();
        double[][] sums = null;
        for (int k = 0; k < round.updates.size(); k++) {
            double[][] values = ShardedRounds.values(round.updateFiles.get(k), round.layout);
            double weight = round.updates.get(k).examples() / total;
            if (sums == null) {
                sums = new double[values.length][];
                for (int t = 0; t < values.length; t++) {
                    sums[t] = new double[values[t].length];
                }
            }
            for (int t = 0; t < values.length; t++) {
                for (int i = 0; i < values[t].length; i++) {
                    sums[t][i] += Math.abs(weight * values[t][i]);
                }
            }
        }
        return sums;
    }

    /** One unit in the last place of {@code value} stored as {@code dtype}. */
    static double ulp(Dtype dtype, double value) {
        return switch (dtype) {
            case F64 -> Math.ulp(value);
            case F32 -> Math.ulp((float) value);
            case F16 -> Math.max(Math.ulp((float) value) * (1 << 13), Math.scalb(1.0, -24));
            case BF16 -> Math.ulp((float) value) * (1 << 16);
            case I64 -> 0;
        };
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
