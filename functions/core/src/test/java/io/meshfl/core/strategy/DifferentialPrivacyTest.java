package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifferentialPrivacyTest {

    private static DifferentialPrivacy dpFedAvg(double clip, double sigma, double samplingRate, double budget) {
        return DifferentialPrivacy.around(new FedAvg(),
                new DifferentialPrivacy.Settings(clip, sigma, samplingRate, 1e-5, budget), () -> 42L);
    }

    @Test
    void clipsEachDifferenceToTheNormBoundAndAveragesUnweighted() throws IOException {
        // Prepare: global (0, 0); A differs by (3, 4) (norm 5, clipped to norm 1: (0.6, 0.8)); B by (0.5, 0) (kept)
        DifferentialPrivacy strategy = dpFedAvg(1.0, 0.0, 1.0, Double.POSITIVE_INFINITY);

        // Execute: examples 1 and 1000 must not matter (unweighted)
        Rounds.Output output = Rounds.run(strategy, new float[] {0f, 0f},
                List.of(new float[] {3f, 4f}, new float[] {0.5f, 0f}), 1, 1000);

        // Assert: ((0.6 + 0.5)/2, (0.8 + 0)/2); no noise with σ = 0, and then ε is infinite
        assertThat(output.model()[0]).isCloseTo(0.55f, within(1e-6f));
        assertThat(output.model()[1]).isCloseTo(0.4f, within(1e-6f));
        assertThat(output.outcome().report()).containsEntry("clipped", "1").containsEntry("steps", "1")
                .containsEntry("epsilon", "Infinity");
    }

    @Test
    void addsGaussianNoiseOfStandardDeviationSigmaTimesClipOverK() throws IOException {
        int size = 200_000;
        float[] global = new float[size];
        long[] seed = {1};
        DifferentialPrivacy strategy = DifferentialPrivacy.around(new FedAvg(),
                new DifferentialPrivacy.Settings(2.0, 1.5, 1.0, 1e-5, Double.POSITIVE_INFINITY), () -> seed[0]++);

        Rounds.Output output = Rounds.run(strategy, global, List.of(new float[size], new float[size], new float[size]), 1, 1, 1);

        // every update equals the global model: the output is pure noise, std 1.5 · 2 / 3 = 1
        double sum = 0;
        double squares = 0;
        for (float value : output.model()) {
            sum += value;
            squares += (double) value * value;
        }
        double mean = sum / size;
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(squares / size - mean * mean)).isCloseTo(1.0, within(0.01));
        assertThat(output.outcome().report()).containsEntry("noiseStd", "1.0");
    }

    @Test
    void carriesThePrivacySpentAcrossRoundsAndRefusesARoundBeyondTheBudget() throws IOException {
        double budget = RdpAccountant.epsilon(0.5, 1.0, 2, 1e-5).epsilon() * 1.0001; // room for exactly two rounds
        DifferentialPrivacy strategy = dpFedAvg(1.0, 1.0, 0.5, budget);
        RoundInput round = Rounds.round(new float[] {0f}, List.of(new float[] {1f}, new float[] {2f}), new long[] {1, 1});

        ServerState afterOne = Rounds.run(strategy, round, ServerState.empty()).outcome().state();
        ServerState afterTwo = Rounds.run(strategy, round, afterOne).outcome().state();

        assertThat(afterOne.values()).containsEntry("steps", "1");
        assertThat(Double.parseDouble(afterTwo.values().get("epsilon")))
                .isEqualTo(RdpAccountant.epsilon(0.5, 1.0, 2, 1e-5).epsilon());
        float[] untouched = {123f};
        assertThatThrownBy(() -> strategy.aggregate(round, afterTwo, (source, offset, length) -> untouched[0] = source[offset]))
                .isInstanceOf(PrivacyBudgetExceededException.class)
                .hasMessageContaining("round 3 would spend ε =").hasMessageContaining("above the budget");
        assertThat(untouched[0]).isEqualTo(123f);
    }

    @Test
    void aCoordinateWiseRobustStrategyCannotBeMadePrivateThisWay() {
        DifferentialPrivacy.Settings settings = new DifferentialPrivacy.Settings(1, 1, 1, 1e-5, 10);

        assertThatThrownBy(() -> DifferentialPrivacy.around(new FedMedian(), settings))
                .isInstanceOfSatisfying(InvalidStrategyException.class,
                        e -> assertThat(e.field()).isEqualTo("strategy.name"))
                .hasMessageContaining("needs a mean-based strategy");
    }

    @Test
    void aroundAServerOptimiserWithoutNoiseOrClippingItIsThatOptimiserOnUnweightedUpdates() throws IOException {
        // Prepare: differences well inside C = 100, σ = 0: the wrapper must change nothing but the weights.
        float[] global = {0.5f, -1f, 2f};
        List<float[]> updates = List.of(new float[] {1f, 0f, 2.5f}, new float[] {0f, -2f, 1f});
        DifferentialPrivacy wrapped = DifferentialPrivacy.around(new FedAdam(0.1, 0.9, 0.99, 1e-3),
                new DifferentialPrivacy.Settings(100, 0, 1, 1e-5, Double.POSITIVE_INFINITY), () -> 7L);

        // Execute: two rounds each, the state carried by each
        Rounds.Output plainOne = Rounds.run(new FedAdam(0.1, 0.9, 0.99, 1e-3), global, updates, 1, 1);
        Rounds.Output wrappedOne = Rounds.run(wrapped, global, updates, 1, 1000);
        Rounds.Output plainTwo = Rounds.run(new FedAdam(0.1, 0.9, 0.99, 1e-3),
                Rounds.round(plainOne.model(), updates, new long[] {1, 1}), plainOne.outcome().state());
        Rounds.Output wrappedTwo = Rounds.run(wrapped,
                Rounds.round(wrappedOne.model(), updates, new long[] {1, 1000}), wrappedOne.outcome().state());

        // Assert: the same models, the inner optimiser's moments carried through the wrapper's state
        assertThat(wrappedOne.model()).containsExactly(plainOne.model());
        assertThat(wrappedTwo.model()).containsExactly(plainTwo.model());
        assertThat(wrapped.name()).isEqualTo("dp-fedadam");
        assertThat(wrappedTwo.outcome().state().values()).containsEntry("steps", "2");
    }

    @Test
    void aStateOfThePlainStrategyIsNotTakenForTheWrappersState() throws IOException {
        ServerState plain = Rounds.run(new FedAdam(0.1, 0.9, 0.99, 1e-3), new float[] {0f},
                List.of(new float[] {1f}), 1).outcome().state();
        DifferentialPrivacy wrapped = DifferentialPrivacy.around(new FedAdam(0.1, 0.9, 0.99, 1e-3),
                new DifferentialPrivacy.Settings(1, 1, 1, 1e-5, 100), () -> 7L);

        assertThatThrownBy(() -> Rounds.run(wrapped, Rounds.round(new float[] {0f}, List.of(new float[] {1f}),
                new long[] {1}), plain))
                .isInstanceOf(CannotAggregate.StateMismatch.class);
    }
}
