package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class DpFedAvgTest {

    @Test
    void clipsEachDifferenceToTheNormBoundAndAveragesUnweighted() throws IOException {
        // Prepare: global (0, 0); A differs by (3, 4) (norm 5, clipped to norm 1: (0.6, 0.8)); B by (0.5, 0) (kept)
        DpFedAvg strategy = new DpFedAvg(1.0, 0.0, 1.0, 1e-5, Double.POSITIVE_INFINITY);

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
        DpFedAvg strategy = new DpFedAvg(2.0, 1.5, 1.0, 1e-5, Double.POSITIVE_INFINITY,
                () -> RandomGeneratorFactory.of("L64X256MixRandom").create(42));

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
        DpFedAvg strategy = new DpFedAvg(1.0, 1.0, 0.5, 1e-5, budget);
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
}
