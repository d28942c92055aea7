package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.ExactSum;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Central differential privacy with fixed clipping around a mean-based strategy (McMahan et al. 2018; Flower's
 * server-side fixed-clipping wrapper): each update's difference to the global model is clipped to L2 norm C, the
 * inner strategy averages the clipped updates unweighted (so one domain moves the mean by at most C/K), and the
 * mean carries Gaussian noise of standard deviation σ·C/K before the inner strategy's server step. The privacy
 * spent over all rounds, from {@link RdpAccountant}, is carried in the server state; a round that would exceed the
 * ε budget is refused before anything is written.
 *
 * <p>Decorate, don't fork: the noise is added once to the clipped updates' unweighted mean, and the inner strategy
 * runs unchanged on a round of that one noisy mean — any strategy that takes the mean of its inputs and then steps
 * (FedAvg and the server optimisers) gives the same result from the mean as from the inputs. Coordinate-wise robust
 * strategies (median, trimmed mean, Krum) do not take a mean, the C/K bound does not hold for them, and the
 * combination is refused.
 *
 * <p>Built to be sharded (issue 18): the norms are exact sums ({@link ClippedFold}), so a norm summed over shards is
 * the single aggregator's to the last bit; the clipped values are folded as FedAvg folds; the noise of value i is a
 * function of (seed, i) only, added once per value by whoever holds it ({@link #aggregateClippedMean}); and the
 * privacy accountant lives in the state the round writes once.
 */
public final class DifferentialPrivacy implements Strategy {

    /** The strategies whose output depends on their inputs only through the mean, the noise's calibration. */
    public static final Set<String> MEAN_BASED =
            Set.of(FedAvg.NAME, FedAvgM.NAME, FedAdam.NAME, FedYogi.NAME, FedAdagrad.NAME);

    static final String STEPS = "steps";
    static final String EPSILON = "epsilon";
    static final String DELTA = "delta";
    /** The id of the one input the inner strategy sees: the clipped updates' noisy mean. */
    static final String MEAN = "dp-mean";
    /** The inner strategy's scalar state is kept under this prefix (its vectors as they are). */
    private static final String INNER = "inner.";

    private final Strategy inner;
    private final Settings settings;
    private final LongSupplier seeds;

    /**
     * The privacy settings of a model's policy ({@code policy.dp}).
     *
     * @param clipNorm C, the bound on each update's L2 distance to the global model
     * @param noiseMultiplier σ; the mean's noise has standard deviation σ·C/K
     * @param samplingRate fraction of the federation's domains taking part in a round (1 if all do)
     * @param delta δ of the (ε, δ) guarantee
     * @param epsilonBudget maximum ε over all rounds; positive infinity for none
     */
    public record Settings(double clipNorm, double noiseMultiplier, double samplingRate, double delta,
                           double epsilonBudget) {

        public Settings {
            require(clipNorm > 0 && Double.isFinite(clipNorm), "clipNorm", "a positive number", clipNorm);
            require(noiseMultiplier >= 0 && Double.isFinite(noiseMultiplier), "noiseMultiplier",
                    "a non-negative number", noiseMultiplier);
            require(samplingRate > 0 && samplingRate <= 1, "samplingRate", "in (0, 1]", samplingRate);
            require(delta > 0 && delta < 1, "delta", "in (0, 1)", delta);
            require(epsilonBudget > 0, "epsilonBudget", "a positive number", epsilonBudget);
        }

        private static void require(boolean ok, String field, String what, double value) {
            if (!ok) {
                throw new InvalidStrategyException("policy.dp." + field, field + " must be " + what + ", was "
                        + value);
            }
        }
    }

    private DifferentialPrivacy(Strategy inner, Settings settings, LongSupplier seeds) {
        this.inner = inner;
        this.settings = settings;
        this.seeds = seeds;
    }

    /** @throws InvalidStrategyException if {@code inner} does not aggregate by a mean */
    public static DifferentialPrivacy around(Strategy inner, Settings settings) {
        SecureRandom random = new SecureRandom();
        return around(inner, settings, random::nextLong);
    }

    /** With a chosen seed source: tests only, a predictable source voids the privacy guarantee. */
    static DifferentialPrivacy around(Strategy inner, Settings settings, LongSupplier seeds) {
        if (!MEAN_BASED.contains(inner.name())) {
            throw new InvalidStrategyException("strategy.name", "differential privacy (policy.dp) needs a mean-based "
                    + "strategy " + MEAN_BASED.stream().sorted().toList() + ", not '" + inner.name()
                    + "': its noise is calibrated to the C/K sensitivity of a mean");
        }
        return new DifferentialPrivacy(inner, settings, seeds);
    }

    /** {@code dp-} and the inner strategy's name: {@code dp-fedavg}, {@code dp-fedadam}, … */
    @Override
    public String name() {
        return "dp-" + inner.name();
    }

    @Override
    public boolean readsGlobalModel() {
        return true;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        state.requireStrategy(name(), round.parameterCount());
        spend(state); // refuse before reading anything
        List<ClientUpdate> updates = round.updates();
        int count = updates.size();
        List<FlatWeights> weights = updates.stream().map(ClientUpdate::weights).toList();
        boolean doubles = weights.stream().anyMatch(FlatWeights::holdsDoubles);
        double[] norms = norms(weights, round.global(), doubles, round.parameterCount());
        double[] factors = Arrays.stream(norms).map(n -> ClippedFold.factor(n, settings.clipNorm())).toArray();
        ClippedMean mean = new ClippedMean(weights, round.global(), factors, doubles);
        long clipped = Arrays.stream(norms).filter(n -> n > settings.clipNorm()).count();
        return aggregateClippedMean(round.global(), mean, 0, count, clipped, seeds.getAsLong(), state, out);
    }

    /**
     * The rest of a round once the clipped updates' unweighted mean is known: adds the noise, N(0, (σ·C/K)²) per
     * value, then runs the inner strategy on a round of that one noisy mean (a mean-based strategy depends on its
     * inputs only through their mean), and counts the privacy spent. A sharded round's root calls this on its shard:
     * {@code global}, {@code clippedMean} and the state's vectors are the shard's slices, {@code offset} the shard's
     * first value in the model's flat vector, so that every value gets the noise the single aggregator gives it.
     *
     * @param updates K, the number of updates in the round
     * @param clipped how many of them were clipped (reported), negative when the caller does not know (a shard's root:
     *     its report is not kept; the clip nodes count)
     * @param seed the round's noise seed: one per round, secret ({@link #newNoiseSeed()})
     * @throws PrivacyBudgetExceededException if the round would spend more than the budget, before anything is written
     */
    public AggregationOutcome aggregateClippedMean(FlatWeights global, FlatWeights clippedMean, long offset,
            int updates, long clipped, long seed, ServerState state, FlatSink out) throws IOException {
        state.requireStrategy(name(), global.size());
        RdpAccountant.Spent spent = spend(state);
        long steps = steps(state);
        double std = settings.noiseMultiplier() * settings.clipNorm() / updates;
        FlatWeights noisy = new NoisyMean(clippedMean, offset, std, seed);
        AggregationOutcome result = inner.aggregate(new RoundInput(global, List.of(new ClientUpdate(MEAN, 1, noisy))),
                innerState(state), out);
        Map<String, String> values = new HashMap<>();
        result.state().values().forEach((key, value) -> values.put(INNER + key, value));
        values.put(STEPS, Long.toString(steps));
        values.put(EPSILON, Double.toString(spent.epsilon()));
        values.put(DELTA, Double.toString(settings.delta()));
        Map<String, String> report = new LinkedHashMap<>(result.report());
        report.put("updates", Integer.toString(updates));
        if (clipped >= 0) {
            report.put("clipped", Long.toString(clipped));
        }
        report.put("noiseMultiplier", Double.toString(settings.noiseMultiplier()));
        report.put("noiseStd", Double.toString(std));
        report.put(EPSILON, Double.toString(spent.epsilon()));
        report.put(DELTA, Double.toString(settings.delta()));
        report.put(STEPS, Long.toString(steps));
        report.put("rdpOrder", Integer.toString(spent.order()));
        return new AggregationOutcome(ServerState.of(name(), values, result.state().vectors()), report);
    }

    /**
     * The privacy the next round spends in total, from the state the previous round left (its scalars suffice).
     *
     * @throws PrivacyBudgetExceededException if that is above the budget
     */
    public RdpAccountant.Spent spend(ServerState state) {
        long steps = steps(state);
        RdpAccountant.Spent spent = RdpAccountant.epsilon(settings.samplingRate(), settings.noiseMultiplier(), steps,
                settings.delta());
        if (spent.epsilon() > settings.epsilonBudget()) {
            throw new PrivacyBudgetExceededException("round " + steps + " would spend ε = " + spent.epsilon()
                    + " (δ = " + settings.delta() + "), above the budget " + settings.epsilonBudget());
        }
        return spent;
    }

    private static long steps(ServerState state) {
        return (long) state.number(STEPS, 0) + 1;
    }

    /** A new secret noise seed from this wrapper's source: a sharded round draws one at its close. */
    public long newNoiseSeed() {
        return seeds.getAsLong();
    }

    /**
     * This wrapper with its noise seeded by {@code seed} for every round: how a sharded round's nodes, which must all
     * add the noise of the one seed drawn at the close, rebuild the strategy. The seed must be secret.
     */
    public DifferentialPrivacy withNoiseSeed(long seed) {
        return new DifferentialPrivacy(inner, settings, () -> seed);
    }

    public Strategy inner() {
        return inner;
    }

    public Settings settings() {
        return settings;
    }

    /** Name, settings and the inner strategy's parameters: a sharded round's plan id hashes it (never the seed). */
    @Override
    public String toString() {
        return name() + "(" + settings + ", " + inner + ")";
    }

    /** Each update's L2 distance to the global model, from exact sums of the squared differences. */
    private static double[] norms(List<FlatWeights> updates, FlatWeights global, boolean doubles, long size)
            throws IOException {
        ExactSum[] sums = new ExactSum[updates.size()];
        Arrays.setAll(sums, k -> new ExactSum());
        double[] values = new double[Blocks.SIZE];
        double[] base = new double[Blocks.SIZE];
        for (long from = 0; from < size; from += Blocks.SIZE) {
            ClippedFold.squaredDistances(updates, global, sums, doubles, from, Blocks.length(from, size), values, base);
        }
        return Arrays.stream(sums).mapToDouble(sum -> Math.sqrt(sum.value())).toArray();
    }

    /** The inner strategy's own state, as it returned it last round (its scalars were kept under a prefix). */
    private static ServerState innerState(ServerState state) {
        Map<String, String> values = new HashMap<>();
        state.values().forEach((key, value) -> {
            if (key.startsWith(INNER)) {
                values.put(key.substring(INNER.length()), value);
            }
        });
        return values.isEmpty() && state.vectors().isEmpty() ? ServerState.empty()
                : new ServerState(values, state.vectors());
    }
}
