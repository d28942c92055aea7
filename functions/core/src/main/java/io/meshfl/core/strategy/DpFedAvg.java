package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.PairwiseDistances;
import io.meshfl.core.strategy.kernel.WeightedFold;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Central DP-FedAvg with fixed clipping (McMahan et al. 2018; Flower's server-side fixed clipping): each update's
 * difference to the global model is clipped to L2 norm C, the clipped differences are averaged (unweighted, so
 * one domain's influence is bounded by C/K), and Gaussian noise of standard deviation σ·C/K is added to every
 * coordinate (σ·C on the sum). The privacy spent over all rounds so far, from {@link RdpAccountant}, is carried
 * in the server state and reported; a round that would exceed the ε budget is refused before anything is
 * written.
 */
public final class DpFedAvg implements Strategy {

    public static final String NAME = "dp-fedavg";
    static final String STEPS = "steps";
    static final String EPSILON = "epsilon";
    static final String DELTA = "delta";

    private final double clipNorm;
    private final double noiseMultiplier;
    private final double samplingRate;
    private final double delta;
    private final double epsilonBudget;
    private final Supplier<RandomGenerator> noiseSource;

    /**
     * @param samplingRate  fraction of the federation's domains taking part in a round (1 if all do)
     * @param epsilonBudget maximum ε over all rounds; positive infinity for none
     */
    public DpFedAvg(double clipNorm, double noiseMultiplier, double samplingRate, double delta, double epsilonBudget) {
        this(clipNorm, noiseMultiplier, samplingRate, delta, epsilonBudget, DpFedAvg::secureNoise);
    }

    /** With a chosen noise source: tests only, a predictable source voids the privacy guarantee. */
    DpFedAvg(double clipNorm, double noiseMultiplier, double samplingRate, double delta, double epsilonBudget,
             Supplier<RandomGenerator> noiseSource) {
        this.clipNorm = clipNorm;
        this.noiseMultiplier = noiseMultiplier;
        this.samplingRate = samplingRate;
        this.delta = delta;
        this.epsilonBudget = epsilonBudget;
        this.noiseSource = noiseSource;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean readsGlobalModel() {
        return true;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        long size = round.parameterCount();
        state.requireStrategy(NAME, size);
        long steps = (long) state.number(STEPS, 0) + 1;
        RdpAccountant.Spent spent = RdpAccountant.epsilon(samplingRate, noiseMultiplier, steps, delta);
        if (spent.epsilon() > epsilonBudget) {
            throw new PrivacyBudgetExceededException("round " + steps + " would spend ε = " + spent.epsilon()
                    + " (δ = " + delta + "), above the budget " + epsilonBudget);
        }
        List<ClientUpdate> updates = round.updates();
        int count = updates.size();
        double[] norms = distancesToGlobal(round);
        double[] factors = Arrays.stream(norms).map(n -> n > clipNorm ? clipNorm / n : 1).toArray();
        double factorSum = Arrays.stream(factors).sum();
        double noiseStd = noiseMultiplier * clipNorm / count;
        RandomGenerator noise = noiseSource.get();
        double[] sum = new double[Blocks.SIZE];
        float[] chunk = new float[Blocks.SIZE];
        float[] global = new float[Blocks.SIZE];
        for (long from = 0; from < size; from += Blocks.SIZE) {
            int length = Blocks.length(from, size);
            Arrays.fill(sum, 0, length, 0);
            for (int k = 0; k < count; k++) {
                updates.get(k).weights().read(from, chunk, 0, length);
                WeightedFold.fold(sum, chunk, length, factors[k]);
            }
            round.global().read(from, global, 0, length);
            // mean of c_k·(x_k − g) = (Σ c_k·x_k − (Σ c_k)·g) / K
            for (int i = 0; i < length; i++) {
                double meanDifference = (sum[i] - factorSum * global[i]) / count;
                chunk[i] = (float) (global[i] + meanDifference + noiseStd * noise.nextGaussian());
            }
            out.write(chunk, 0, length);
        }
        long clipped = Arrays.stream(norms).filter(n -> n > clipNorm).count();
        Map<String, String> values = Map.of(STEPS, Long.toString(steps), EPSILON, Double.toString(spent.epsilon()),
                DELTA, Double.toString(delta));
        return new AggregationOutcome(ServerState.of(NAME, values, Map.of()), Map.of(
                "updates", Integer.toString(count), "clipped", Long.toString(clipped),
                "noiseMultiplier", Double.toString(noiseMultiplier), "noiseStd", Double.toString(noiseStd),
                EPSILON, Double.toString(spent.epsilon()), DELTA, Double.toString(delta), STEPS, Long.toString(steps),
                "rdpOrder", Integer.toString(spent.order())));
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

    private static RandomGenerator secureNoise() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return RandomGeneratorFactory.<RandomGenerator>of("L64X256MixRandom").create(seed);
    }
}
