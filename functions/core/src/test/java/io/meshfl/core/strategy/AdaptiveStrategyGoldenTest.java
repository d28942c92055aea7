package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FedAdagrad, FedAdam and FedYogi against Reddi et al. 2021, Algorithm 2, worked by hand for three parameters.
 *
 * <p>Global x = (1, −2, 0.5); update A = (1.5, −1, 0.5) on 1 example, B = (0.5, −3, 1.5) on 3 examples.
 * Weighted mean = (A + 3B)/4 = (0.75, −2.5, 1.25), so the pseudo-gradient Δ = mean − x = (−0.25, −0.5, 0.75).
 * η = 0.1, β1 = 0.9 (0 for Adagrad), β2 = 0.99, τ = 10⁻³; m₀ = 0, v₀ = τ² = 10⁻⁶. The second round re-sends the
 * same updates against the first round's result, with the state the first round returned.
 */
class AdaptiveStrategyGoldenTest {

    static final float[] GLOBAL = {1f, -2f, 0.5f};
    static final List<float[]> UPDATES = List.of(new float[] {1.5f, -1f, 0.5f}, new float[] {0.5f, -3f, 1.5f});

    private static double[][] twoRounds(Strategy strategy) throws IOException {
        Rounds.Output first = Rounds.run(strategy, GLOBAL, UPDATES, 1, 3);
        Rounds.Output second = Rounds.run(strategy, Rounds.round(first.model(), UPDATES, new long[] {1, 3}),
                first.outcome().state());
        float[] m = first.outcome().state().vectors().get("m");
        float[] v = first.outcome().state().vectors().get("v");
        return new double[][] {toDouble(first.model()), toDouble(m), toDouble(v), toDouble(second.model())};
    }

    @Test
    void fedAdamFollowsThePapersUpdateRule() throws IOException {
        double[][] result = twoRounds(new FedAdam(0.1, 0.9, 0.99, 1e-3));

        // m1 = 0.1·Δ = (−0.025, −0.05, 0.075)
        assertClose(result[1], -0.025, -0.05, 0.075);
        // v1 = 0.99·10⁻⁶ + 0.01·Δ² = (0.00062599, 0.00250099, 0.00562599)
        assertClose(result[2], 0.00062599, 0.00250099, 0.00562599);
        // x1 = x + 0.1·m1/(√v1 + 10⁻³): 1 − 0.0025/(0.0250198 + 0.001) = 0.903919, …
        assertClose(result[0], 0.90391929, -2.09802019, 0.59867564);
        // round 2: Δ2 = mean − x1 = (−0.15391929, −0.40197981, 0.65132436), m2 = 0.9·m1 + 0.1·Δ2, v2 = 0.99·v1 + 0.01·Δ2²
        assertClose(result[3], 0.77873303, -2.22915931, 0.73123469);
    }

    @Test
    void fedYogiFollowsThePapersUpdateRule() throws IOException {
        double[][] result = twoRounds(new FedYogi(0.1, 0.9, 0.99, 1e-3));

        assertClose(result[1], -0.025, -0.05, 0.075);
        // v1 = v0 − 0.01·Δ²·sign(v0 − Δ²) = 10⁻⁶ + 0.01·Δ² (v0 < Δ²) = (0.000626, 0.002501, 0.005626)
        assertClose(result[2], 0.000626, 0.002501, 0.005626);
        assertClose(result[0], 0.90392003, -2.09802, 0.59867556);
        assertClose(result[3], 0.77917431, -2.22876615, 0.73085991);
    }

    @Test
    void fedAdagradFollowsThePapersUpdateRule() throws IOException {
        double[][] result = twoRounds(new FedAdagrad(0.1, 0.0, 1e-3));

        // β1 = 0: m1 = Δ; v1 = 10⁻⁶ + Δ² = (0.062501, 0.250001, 0.562501)
        assertClose(result[1], -0.25, -0.5, 0.75);
        assertClose(result[2], 0.062501, 0.250001, 0.562501);
        // x1 = x + 0.1·Δ/(√v1 + 10⁻³): 1 − 0.025/(0.250002 + 0.001) = 0.9003992, …
        assertClose(result[0], 0.9003992, -2.0998002, 0.59986676);
        assertClose(result[3], 0.84902544, -2.16219123, 0.66530152);
    }

    @Test
    void fedAvgMAddsMomentumToThePseudoGradient() throws IOException {
        FedAvgM strategy = new FedAvgM(1.0, 0.5);

        Rounds.Output first = Rounds.run(strategy, GLOBAL, UPDATES, 1, 3);
        Rounds.Output second = Rounds.run(strategy, Rounds.round(first.model(), UPDATES, new long[] {1, 3}),
                first.outcome().state());

        // round 1: m = Δ, x1 = x + m = the weighted mean (0.75, −2.5, 1.25)
        assertClose(toDouble(first.model()), 0.75, -2.5, 1.25);
        // round 2: Δ2 = mean − x1 = 0, m2 = 0.5·m1 = (−0.125, −0.25, 0.375), x2 = x1 + m2
        assertClose(toDouble(second.model()), 0.625, -2.75, 1.625);
    }

    @Test
    void aStateFromAnotherStrategyIsRefused() throws IOException {
        ServerState adamState = Rounds.run(new FedAdam(0.1, 0.9, 0.99, 1e-3), GLOBAL, UPDATES, 1, 3).outcome().state();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rounds.run(new FedYogi(0.1, 0.9, 0.99, 1e-3),
                        Rounds.round(GLOBAL, UPDATES, new long[] {1, 3}), adamState))
                .isInstanceOf(CannotAggregate.StateMismatch.class)
                .hasMessageContaining("server state was written by strategy 'fedadam', not 'fedyogi'");
    }

    private static void assertClose(double[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(Math.abs(expected[i]) * 1e-5 + 1e-9));
        }
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }
}
