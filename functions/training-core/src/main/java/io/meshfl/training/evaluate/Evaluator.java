package io.meshfl.training.evaluate;

import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.model.Task;
import java.util.OptionalDouble;

/** Measures a model on hold-out rows: from its raw outputs, in double precision. */
public final class Evaluator {

    /** Rows per forward pass, so a large hold-out split does not need one huge tensor. */
    private static final int CHUNK_ROWS = 4096;

    public Metrics evaluate(TabularModel model, TabularData rows) {
        if (rows.rows() == 0) {
            throw new IllegalArgumentException("no hold-out rows to evaluate on");
        }
        float[] outputs = predict(model, rows);
        return model.architecture().task() == Task.CLASSIFICATION
                ? classification(outputs, model.architecture().outputs(), rows.labels())
                : regression(outputs, rows.labels());
    }

    private static float[] predict(TabularModel model, TabularData rows) {
        int outputsPerRow = model.architecture().outputs();
        int columns = rows.columns();
        float[] outputs = new float[rows.rows() * outputsPerRow];
        for (int start = 0; start < rows.rows(); start += CHUNK_ROWS) {
            int size = Math.min(CHUNK_ROWS, rows.rows() - start);
            float[] chunk = new float[size * columns];
            System.arraycopy(rows.features(), start * columns, chunk, 0, chunk.length);
            float[] predicted = model.predict(chunk, size);
            System.arraycopy(predicted, 0, outputs, start * outputsPerRow, predicted.length);
        }
        return outputs;
    }

    /** Mean cross-entropy of the softmax, accuracy of the arg-max, and AUC of class 1 when there are two classes. */
    static Metrics classification(float[] logits, int classes, float[] labels) {
        int rows = labels.length;
        double lossSum = 0;
        int correct = 0;
        double[] scores = new double[rows];
        boolean[] positive = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            int offset = r * classes;
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (logits[offset + c] > max) {
                    max = logits[offset + c];
                    best = c;
                }
            }
            double expSum = 0;
            for (int c = 0; c < classes; c++) {
                expSum += Math.exp(logits[offset + c] - max);
            }
            int label = (int) labels[r];
            lossSum += -(logits[offset + label] - max - Math.log(expSum));
            if (best == label) {
                correct++;
            }
            if (classes == 2) {
                // The logit difference orders rows exactly as the softmax probability of class 1 does.
                scores[r] = (double) logits[offset + 1] - logits[offset];
                positive[r] = label == 1;
            }
        }
        OptionalDouble auc = classes == 2 ? AreaUnderCurve.of(scores, positive) : OptionalDouble.empty();
        return new Metrics(rows, lossSum / rows, (double) correct / rows,
                auc.isPresent() ? auc.getAsDouble() : null, null);
    }

    /** Mean squared error (the loss) and its root. */
    static Metrics regression(float[] predictions, float[] labels) {
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            double error = (double) predictions[r] - labels[r];
            sum += error * error;
        }
        double mse = sum / labels.length;
        return new Metrics(labels.length, mse, null, null, Math.sqrt(mse));
    }
}
