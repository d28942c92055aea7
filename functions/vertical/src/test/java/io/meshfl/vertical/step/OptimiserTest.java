package io.meshfl.vertical.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The update rule's arithmetic by hand: SGD and Adam's first steps with decoupled weight decay. */
class OptimiserTest {

    private static final List<float[]> PARAMETERS = List.of(new float[] {1f, -2f}, new float[] {0.5f});
    private static final List<float[]> GRADIENTS = List.of(new float[] {0.1f, 0.3f}, new float[] {-0.2f});

    @Test
    void sgdWithWeightDecayShrinksTheParameterThenStepsAlongTheGradient() {
        Optimiser sgd = Optimiser.sgd(0.5f).withWeightDecay(0.1f);

        ParameterState next = sgd.step(sgd.initial(PARAMETERS), GRADIENTS);

        // p · (1 − lr · wd) − lr · g, which for SGD is p − lr · (g + wd · p)
        assertThat(next.parameters().get(0)[0]).isCloseTo(1f - 0.5f * (0.1f + 0.1f * 1f), within(1e-7f));
        assertThat(next.parameters().get(0)[1]).isCloseTo(-2f - 0.5f * (0.3f + 0.1f * -2f), within(1e-7f));
        assertThat(next.parameters().get(1)[0]).isCloseTo(0.5f - 0.5f * (-0.2f + 0.1f * 0.5f), within(1e-7f));
    }

    @Test
    void adamWithWeightDecayShrinksTheParameterOutsideTheMoments() {
        Optimiser adam = Optimiser.adam(0.01f).withWeightDecay(0.5f);

        ParameterState next = adam.step(adam.initial(PARAMETERS), GRADIENTS);

        // AdamW's first step: p · (1 − lr · wd) − lr · g / (|g| + ε); the moments see the loss gradient only.
        assertThat(next.firstMoments().get(0)[1]).isCloseTo(0.1f * 0.3f, within(1e-7f));
        assertThat(next.secondMoments().get(0)[1]).isCloseTo(0.001f * 0.3f * 0.3f, within(1e-8f));
        assertThat(next.parameters().get(0)[1])
                .isCloseTo((float) (-2f * (1 - 0.01f * 0.5f) - 0.01f * 0.3f / (0.3f + 1e-8f)), within(1e-6f));
        assertThat(next.parameters().get(1)[0])
                .isCloseTo((float) (0.5f * (1 - 0.01f * 0.5f) + 0.01f), within(1e-6f));
        // A parameter with a zero loss gradient moves by lr · wd · p (0.0025), not by a whole learning rate (0.01) as
        // L2 added to the gradient would.
        ParameterState idle = adam.step(adam.initial(List.of(new float[] {0.5f})), List.of(new float[] {0f}));
        assertThat(idle.parameters().get(0)[0]).isCloseTo(0.5f * (1 - 0.005f), within(1e-7f));
    }

    @Test
    void noWeightDecayIsTheDefaultAndANegativeOneIsRefused() {
        assertThat(Optimiser.adam(0.02f).weightDecay()).isZero();
        assertThat(Optimiser.sgd(0.02f).weightDecay()).isZero();
        assertThatThrownBy(() -> Optimiser.adam(0.02f).withWeightDecay(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight decay");
        assertThatThrownBy(() -> Optimiser.adam(0.02f).withWeightDecay(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight decay");
    }
}
