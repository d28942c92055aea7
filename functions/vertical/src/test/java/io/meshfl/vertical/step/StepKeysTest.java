package io.meshfl.vertical.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.keys.ObjectKeys;
import org.junit.jupiter.api.Test;

class StepKeysTest {

    @Test
    void anEmbeddingOrGradientKeyRoutesToItsStepAndNothingElseDoes() {
        assertThat(StepKeys.parse(ObjectKeys.verticalEmbedding("fraud", 3, 0, "payments")))
                .contains(new StepKeys.StepKey("fraud", 3, 0, StepKeys.Kind.EMBEDDING, "payments"));
        assertThat(StepKeys.parse(ObjectKeys.verticalGradient("fraud", 1, 12, "customers")))
                .contains(new StepKeys.StepKey("fraud", 1, 12, StepKeys.Kind.GRADIENT, "customers"));

        assertThat(StepKeys.parse(ObjectKeys.verticalHeadState("fraud", 1, 2))).isEmpty();
        assertThat(StepKeys.parse(ObjectKeys.verticalRoundOutcome("fraud", 1))).isEmpty();
        assertThat(StepKeys.parse(ObjectKeys.psiBlindedSet("fraud", "s1", "payments", 1, "payments"))).isEmpty();
        assertThat(StepKeys.parse("models/fraud/vrounds/0/steps/0/embeddings/a.safetensors")).isEmpty();
        assertThat(StepKeys.parse("models/fraud/vrounds/1/steps/01/embeddings/a.safetensors")).isEmpty();
        assertThat(StepKeys.parse(null)).isEmpty();
    }
}
