package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.PairwiseDistances;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Central differential privacy with fixed clipping around a mean-based strategy (McMahan et al. 2018; Flower's
 * server-side fixed-clipping wrapper): each update's difference to the global model is clipped to L2 norm C, the
 * inner strategy averages the clipped updates unweighted (so one domain moves the mean by at most C/K), and the
 * mean carries Gaussian noise of standard deviation σ·C/K before the inner strategy's server step. The privacy
 * spent over all rounds, from {@link RdpAccountant}, is carried in the server state; a round that would exceed the
 * ε budget is refused before anything is written.
 *
 * <p>Decorate, don't fork: the noise is added to each clipped update as N(0, (σ·C)²/K), which puts exactly
 * N(0, (σ·C/K)²) on their unweighted mean, so any strategy that takes the mean of its inputs and then steps (FedAvg
 * and the server optimisers) runs unchanged on the private inputs. Coordinate-wise robust strategies (median,
 * trimmed mean, Krum) do not take a mean, the C/K bound does not hold for them, and the combination is refused.
 */
public final class DifferentialPrivacy implements Strategy {

    /** The strategies whose output depends on their inputs only through the mean, the noise's calibration. */
    public static final Set<String> MEAN_BASED =
            Set.of(FedAvg.NAME, FedAvgM.NAME, FedAdam.NAME, FedYogi.NAME, FedAdagrad.NAME);

    static final String STEPS = "steps";
    static final String EPSILON = "epsilon";
    static final String DELTA = "delta";
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
        long size = round.parameterCount();
        state.requireStrategy(name(), size);
        long steps = (long) state.number(STEPS, 0) + 1;
        RdpAccountant.Spent spent = RdpAccountant.epsilon(settings.samplingRate(), settings.noiseMultiplier(), steps,
                settings.delta());
        if (spent.epsilon() > settings.epsilonBudget()) {
            throw new PrivacyBudgetExceededException("round " + steps + " would spend ε = " + spent.epsilon()
                    + " (δ = " + settings.delta() + "), above the budget " + settings.epsilonBudget());
        }
        List<ClientUpdate> updates = round.updates();
        int count = updates.size();
        double[] norms = distancesToGlobal(round);
        double perInputStd = settings.noiseMultiplier() * settings.clipNorm() / Math.sqrt(count);
        List<ClientUpdate> privateInputs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            double factor = norms[k] > settings.clipNorm() ? settings.clipNorm() / norms[k] : 1;
            // Every input counts once: the mean's sensitivity is C/K only if no domain weighs more than another.
            privateInputs.add(new ClientUpdate(updates.get(k).id(), 1,
                    new ClippedNoisyWeights(updates.get(k).weights(), round.global(), factor, perInputStd,
                            seeds.getAsLong())));
        }
        AggregationOutcome result = inner.aggregate(new RoundInput(round.global(), privateInputs), innerState(state),
                out);
        long clipped = Arrays.stream(norms).filter(n -> n > settings.clipNorm()).count();
        Map<String, String> values = new HashMap<>();
        result.state().values().forEach((key, value) -> values.put(INNER + key, value));
        values.put(STEPS, Long.toString(steps));
        values.put(EPSILON, Double.toString(spent.epsilon()));
        values.put(DELTA, Double.toString(settings.delta()));
        Map<String, String> report = new LinkedHashMap<>(result.report());
        report.put("updates", Integer.toString(count));
        report.put("clipped", Long.toString(clipped));
        report.put("noiseMultiplier", Double.toString(settings.noiseMultiplier()));
        report.put("noiseStd", Double.toString(settings.noiseMultiplier() * settings.clipNorm() / count));
        report.put(EPSILON, Double.toString(spent.epsilon()));
        report.put(DELTA, Double.toString(settings.delta()));
        report.put(STEPS, Long.toString(steps));
        report.put("rdpOrder", Integer.toString(spent.order()));
        return new AggregationOutcome(ServerState.of(name(), values, result.state().vectors()), report);
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

    private static double[] distancesToGlobal(RoundInput round) throws IOException {
        List<ClientUpdate> updates = round.updates();
        double[] squares = new double[updates.size()];
        float[] global = new float[Blocks.SIZE];
        float[] chunk = new float[Blocks.SIZE];
        for (long from = 0; from < round.parameterCount(); from += Blocks.SIZE) {
            int length = Blocks.length(from, round.parameterCount());
            round.global().read(from, global, 0, length);
            for (int k = 0; k < updates.size(); k++) {
                updates.get(k).weights().read(from, chunk, 0, length);
                squares[k] += PairwiseDistances.squaredDistance(chunk, global, length);
            }
        }
        return Arrays.stream(squares).map(Math::sqrt).toArray();
    }

    /**
     * An update as the inner strategy sees it: g + c·(x − g) + noise. The noise of coordinate i is a function of
     * (seed, i) only, so a strategy that reads a range twice, or in other chunks, sees the same values.
     */
    private static final class ClippedNoisyWeights implements FlatWeights {

        private static final long GOLDEN = 0x9E3779B97F4A7C15L;

        private final FlatWeights update;
        private final FlatWeights global;
        private final double factor;
        private final double noiseStd;
        private final long seed;

        ClippedNoisyWeights(FlatWeights update, FlatWeights global, double factor, double noiseStd, long seed) {
            this.update = update;
            this.global = global;
            this.factor = factor;
            this.noiseStd = noiseStd;
            this.seed = seed;
        }

        @Override
        public long size() {
            return update.size();
        }

        @Override
        public void read(long from, float[] target, int offset, int length) throws IOException {
            float[] base = new float[length];
            update.read(from, target, offset, length);
            global.read(from, base, 0, length);
            for (int i = 0; i < length; i++) {
                double noise = noiseStd == 0 ? 0
                        : noiseStd * new SplittableRandom(seed ^ ((from + i) * GOLDEN)).nextGaussian();
                target[offset + i] = (float) (base[i] + factor * (target[offset + i] - base[i]) + noise);
            }
        }
    }
}
