package io.meshfl.vertical.split;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.meshfl.training.train.GradientRecording;
import java.util.List;

/**
 * A party's side of a split model: an MLP over the party's own columns whose output, the embedding, is all that leaves
 * the party. Its two step operations are stateless between calls, as a function triggered by objects must be:
 * {@link #embed} for the forward pass, and {@link #backward} when the gradient of the loss with respect to the
 * embedding arrives. The backward pass recomputes the forward pass on the same rows instead of keeping the autograd
 * graph from {@link #embed} alive (an MLP without dropout is deterministic), so the two can run in different
 * invocations.
 */
public final class BottomModel implements AutoCloseable {

    public static final String EMBEDDING = "embedding";
    public static final String EMBEDDING_GRADIENT = "embedding_grad";

    private final Mlp mlp;

    /** @param widths hidden layer widths, then the embedding width */
    public BottomModel(String party, int columns, List<Integer> widths) {
        this.mlp = new Mlp("bottom-" + party, columns, widths);
    }

    public Mlp mlp() {
        return mlp;
    }

    /** The embeddings of {@code rows} rows of this party's features (row-major). */
    public BatchTensor embed(float[] features, int rows) {
        try (NDManager manager = mlp.newSubManager()) {
            NDArray embedding = mlp.forward(manager, input(manager, features, rows), true);
            return new BatchTensor(EMBEDDING, rows, mlp.outputs(), embedding.toFloatArray());
        }
    }

    /**
     * Back-propagates the head's gradient with respect to this party's embeddings into the bottom model: the
     * parameters' gradients are Jᵀg for the embedding's Jacobian J and the received g, obtained as the gradient of the
     * scalar Σ embedding ⊙ g (g held constant).
     *
     * @return the parameter gradients, in layer order
     */
    public List<float[]> backward(float[] features, int rows, BatchTensor gradient) {
        if (gradient.rows() != rows || gradient.width() != mlp.outputs()) {
            throw new IllegalArgumentException("The embedding gradient is [" + gradient.rows() + ", "
                    + gradient.width() + "], this batch's embedding is [" + rows + ", " + mlp.outputs() + "]");
        }
        try (GradientRecording recording = GradientRecording.begin(); NDManager manager = mlp.newSubManager();
                GradientCollector collector = mlp.newGradientCollector()) {
            NDArray embedding = mlp.forward(manager, input(manager, features, rows), true);
            NDArray received = manager.create(gradient.values(), new Shape(rows, gradient.width()));
            collector.backward(embedding.mul(received).sum());
        }
        return mlp.gradients();
    }

    private NDArray input(NDManager manager, float[] features, int rows) {
        if (features.length != (long) rows * mlp.inputs()) {
            throw new IllegalArgumentException("Expected " + rows + " rows of " + mlp.inputs() + " features ("
                    + (long) rows * mlp.inputs() + " values), got " + features.length);
        }
        return manager.create(features, new Shape(rows, mlp.inputs()));
    }

    @Override
    public void close() {
        mlp.close();
    }
}
