package io.meshfl.mesh.vertical;

import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.HeadModel;
import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.ParameterState;
import io.meshfl.vertical.step.WindowPlan;
import java.util.List;

/**
 * The baselines' training: one MLP over the columns it is given (all of them: centralised; one domain's: local), with
 * the split model's loss, optimiser, batch plan and number of passes, in one place and without the object store.
 */
final class DenseTraining {

    private DenseTraining() {
    }

    /**
     * Trains on {@code trainRows} of {@code features} (rows × columns) and returns the logits of {@code evalRows}.
     *
     * @param layers hidden widths, then 1
     */
    static float[] trainAndScore(float[][] features, float[] labels, int[] trainRows, int[] evalRows,
            List<Integer> layers, Optimiser optimiser, int rounds, int batchSize, long seed) {
        int columns = features[0].length;
        WindowPlan plan = new WindowPlan(trainRows, batchSize, seed);
        try (HeadModel model = new HeadModel(List.of(columns), layers)) {
            ParameterState state = optimiser.initial(model.mlp().values());
            for (int round = 1; round <= rounds; round++) {
                for (int window = 0; window < plan.windows(); window++) {
                    int[] rows = plan.positions(round, window);
                    float[] y = new float[rows.length];
                    for (int i = 0; i < rows.length; i++) {
                        y[i] = labels[rows[i]];
                    }
                    HeadModel.Step step = model.step(List.of(batch(features, rows)), y);
                    state = optimiser.step(state, step.headGradients());
                    model.mlp().load(state.parameters());
                }
            }
            return model.logits(List.of(batch(features, evalRows)));
        }
    }

    private static BatchTensor batch(float[][] features, int[] rows) {
        int columns = features[0].length;
        float[] values = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features[rows[i]], 0, values, i * columns, columns);
        }
        return new BatchTensor("features", rows.length, columns, values);
    }
}
