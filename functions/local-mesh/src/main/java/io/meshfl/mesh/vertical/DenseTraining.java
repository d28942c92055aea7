package io.meshfl.mesh.vertical;

import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.ParameterState;
import io.meshfl.vertical.step.WindowPlan;
import java.util.List;

/**
 * The baselines' training (centralised, each domain alone, the dense reference): a {@link CombinedModel} trained in one
 * place with the split model's recipe — same loss, optimiser, batch plan, number of passes and model selection
 * ({@link PassSelection}) — without the object store.
 */
final class DenseTraining {

    private DenseTraining() {
    }

    /**
     * Trains {@code model} from {@code initial} on {@code trainRows} of {@code features} (rows × columns) for at most
     * {@code passes} passes, scores {@code validationRows} after each, stops early after {@code patience} passes
     * without a better validation loss, and returns the held-out logits of {@code evalRows} of the pass
     * {@link PassSelection} picks.
     */
    static PassSelection.Selected trainAndScore(CombinedModel model, List<float[]> initial, float[][] features,
            float[] labels, int[] trainRows, int[] validationRows, int[] evalRows, Optimiser optimiser, int passes,
            int patience, int batchSize, long seed) {
        WindowPlan plan = new WindowPlan(trainRows, batchSize, seed);
        PassSelection selection = new PassSelection(labels, validationRows);
        ParameterState state = optimiser.initial(initial);
        model.load(state.parameters());
        for (int pass = 1; pass <= passes; pass++) {
            for (int window = 0; window < plan.windows(); window++) {
                int[] rows = plan.positions(pass, window);
                float[] y = new float[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    y[i] = labels[rows[i]];
                }
                state = optimiser.step(state, model.gradients(features, rows, y));
                model.load(state.parameters());
            }
            selection.offer(pass, model.logits(features, validationRows), () -> model.logits(features, evalRows));
            if (selection.exhausted(patience)) {
                break;
            }
        }
        return selection.selected();
    }
}
