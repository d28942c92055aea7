package io.meshfl.training.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    @Test
    void classificationLossIsTheMeanCrossEntropyOfTheSoftmax() {
        // Prepare: row 1 logits (0, 0) label 1 -> p = 1/2; row 2 logits (ln 3, 0) label 0 -> p = 3/4 (correct);
        // row 1 is a tie: arg-max takes class 0, so it is wrong.
        float[] logits = {0, 0, (float) Math.log(3), 0};
        float[] labels = {1, 0};

        // Execute
        Metrics metrics = Evaluator.classification(logits, 2, labels);

        // Assert: loss = (ln 2 + ln 4/3) / 2; class-1 scores 0 (positive) and -ln 3 (negative) -> AUC 1.
        assertThat(metrics.loss()).isCloseTo((Math.log(2) + Math.log(4.0 / 3)) / 2, within(1e-6));
        assertThat(metrics.accuracy()).isEqualTo(0.5);
        assertThat(metrics.auc()).isEqualTo(1.0);
        assertThat(metrics.rmse()).isNull();
        assertThat(metrics.values()).containsOnlyKeys("loss", "accuracy", "auc");
    }

    @Test
    void multiClassHasNoAuc() {
        Metrics metrics = Evaluator.classification(new float[] {1, 0, 0, 0, 0, 1}, 3, new float[] {0, 2});

        assertThat(metrics.accuracy()).isEqualTo(1.0);
        assertThat(metrics.auc()).isNull();
    }

    @Test
    void regressionLossIsTheMeanSquaredErrorAndRmseItsRoot() {
        // Prepare: errors 1 and -3 -> MSE (1 + 9) / 2 = 5.
        Metrics metrics = Evaluator.regression(new float[] {2, 0}, new float[] {1, 3});

        assertThat(metrics.loss()).isEqualTo(5.0);
        assertThat(metrics.rmse()).isEqualTo(Math.sqrt(5));
        assertThat(metrics.values()).isEqualTo(Map.of("loss", 5.0, "rmse", Math.sqrt(5)));
    }
}
