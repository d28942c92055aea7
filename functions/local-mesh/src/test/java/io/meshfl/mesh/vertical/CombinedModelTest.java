package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.split.HeadModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vertical demo's centralised baseline is the split model's network in one place: from the split model's initial
 * parameters, one batch gives the same gradients as the split classes' forward and backward passes, and model
 * selection picks the pass with the lowest validation loss.
 */
class CombinedModelTest {

    @BeforeAll
    static void engine() {
        TorchEngine.start(Path.of(System.getProperty("meshfl.test.work-dir", "target/test-work")), OptionalInt.of(1));
    }

    @Test
    void theCombinedModelsGradientsEqualTheSplitModelsFromTheSameInitialParameters() {
        // Prepare: two domains of 3 and 4 columns, 12 rows, the split model's initial parameters for that seed.
        List<Integer> groups = List.of(3, 4);
        Random random = new Random(11);
        float[][] features = new float[12][7];
        float[] labels = new float[12];
        for (int i = 0; i < 12; i++) {
            for (int c = 0; c < 7; c++) {
                features[i][c] = (float) random.nextGaussian();
            }
            labels[i] = i % 3 == 0 ? 1 : 0;
        }
        int[] rows = {0, 2, 3, 5, 6, 7, 9, 11};
        Engine.getEngine(TorchEngine.ENGINE_NAME).setRandomSeed(5);
        List<float[]> initial = SplitTraining.initialParameters(groups);
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = labels[rows[i]];
        }

        // Execute: the split classes in-process, and the combined model.
        List<float[]> split = new ArrayList<>();
        try (BottomModel a = new BottomModel("a", 3, SplitTraining.BOTTOM_LAYERS);
                BottomModel b = new BottomModel("b", 4, SplitTraining.BOTTOM_LAYERS);
                HeadModel head = new HeadModel(List.of(8, 8), SplitTraining.HEAD_LAYERS)) {
            int aSize = a.mlp().values().size();
            int bSize = b.mlp().values().size();
            a.mlp().load(initial.subList(0, aSize));
            b.mlp().load(initial.subList(aSize, aSize + bSize));
            head.mlp().load(initial.subList(aSize + bSize, initial.size()));
            float[] aRows = slice(features, rows, 0, 3);
            float[] bRows = slice(features, rows, 3, 4);
            HeadModel.Step step = head.step(List.of(a.embed(aRows, rows.length), b.embed(bRows, rows.length)), y);
            split.addAll(a.backward(aRows, rows.length, step.embeddingGradients().get(0)));
            split.addAll(b.backward(bRows, rows.length, step.embeddingGradients().get(1)));
            split.addAll(step.headGradients());
        }
        List<float[]> combined;
        try (CombinedModel model = new CombinedModel(groups, SplitTraining.BOTTOM_LAYERS, SplitTraining.HEAD_LAYERS)) {
            model.load(initial);
            combined = model.gradients(features, rows, y);
        }

        // Assert: parameter by parameter, to 1e-5.
        assertThat(combined).hasSameSizeAs(split);
        for (int i = 0; i < split.size(); i++) {
            assertThat(combined.get(i)).hasSameSizeAs(split.get(i));
            for (int j = 0; j < split.get(i).length; j++) {
                assertThat(combined.get(i)[j]).as("parameter %d[%d]", i, j)
                        .isCloseTo(split.get(i)[j], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void modelSelectionTakesThePassWithTheLowestValidationLossTheEarlierOnTiesAndStopsAfterThePatience() {
        float[] labels = {1, 0, 0, 1};
        PassSelection selection = new PassSelection(labels, new int[] {0, 1});
        // Validation rows 0 (positive) and 1 (negative): pass 2 separates them best, pass 3 as well as pass 2.
        selection.offer(1, new float[] {0, 0}, () -> new float[] {1});
        selection.offer(2, new float[] {2, -2}, () -> new float[] {2});
        selection.offer(3, new float[] {2, -2}, () -> new float[] {3});
        selection.offer(4, new float[] {-1, 1}, () -> new float[] {4});

        assertThat(selection.selected().pass()).isEqualTo(2);
        assertThat(selection.selected().evalLogits()).containsExactly(2);
        // log(1 + e^-2), the loss of either row at pass 2
        assertThat(selection.selected().validationLoss()).isCloseTo(Math.log1p(Math.exp(-2)),
                org.assertj.core.data.Offset.offset(1e-12));
        // Early stopping: the best pass (2) is two passes old after pass 4; a patience of 0 never stops.
        assertThat(selection.selected().passesRun()).isEqualTo(4);
        assertThat(selection.exhausted(2)).isTrue();
        assertThat(selection.exhausted(3)).isFalse();
        assertThat(selection.exhausted(0)).isFalse();
    }

    private static float[] slice(float[][] features, int[] rows, int from, int count) {
        float[] out = new float[rows.length * count];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features[rows[i]], from, out, i * count, count);
        }
        return out;
    }
}
