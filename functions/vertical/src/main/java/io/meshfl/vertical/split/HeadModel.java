package io.meshfl.vertical.split;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.meshfl.training.train.GradientRecording;
import java.util.ArrayList;
import java.util.List;

/**
 * The label owner's side of a split model: an MLP over the parties' embeddings, concatenated in the parties' fixed
 * order, producing one logit per row for a binary label (sigmoid binary cross-entropy, mean over the batch).
 */
public final class HeadModel implements AutoCloseable {

    private final Mlp mlp;
    private final List<Integer> embeddingWidths;

    /**
     * @param embeddingWidths each party's embedding width, in the order {@link #step} receives the embeddings
     * @param widths hidden layer widths, then 1 (the logit)
     */
    public HeadModel(List<Integer> embeddingWidths, List<Integer> widths) {
        if (widths.isEmpty() || widths.get(widths.size() - 1) != 1) {
            throw new IllegalArgumentException("A binary head ends in one logit, got layers " + widths);
        }
        this.embeddingWidths = List.copyOf(embeddingWidths);
        this.mlp = new Mlp("head", embeddingWidths.stream().mapToInt(Integer::intValue).sum(), widths);
    }

    public Mlp mlp() {
        return mlp;
    }

    /** What one head step gives: the batch's loss, the head's own gradients and each party's embedding gradient. */
    public record Step(float loss, List<float[]> headGradients, List<BatchTensor> embeddingGradients) {
    }

    /**
     * Forward and backward for one batch window.
     *
     * @param embeddings one per party, in the constructor's order, all of the same rows
     * @param labels 0 or 1 per row
     */
    public Step step(List<BatchTensor> embeddings, float[] labels) {
        if (embeddings.size() != embeddingWidths.size()) {
            throw new IllegalArgumentException("The head expects " + embeddingWidths.size() + " embeddings, got "
                    + embeddings.size());
        }
        int rows = labels.length;
        for (int i = 0; i < embeddings.size(); i++) {
            BatchTensor embedding = embeddings.get(i);
            if (embedding.rows() != rows || embedding.width() != embeddingWidths.get(i)) {
                throw new IllegalArgumentException("Embedding " + i + " is [" + embedding.rows() + ", "
                        + embedding.width() + "], expected [" + rows + ", " + embeddingWidths.get(i) + "]");
            }
        }
        try (GradientRecording recording = GradientRecording.begin(); NDManager manager = mlp.newSubManager();
                GradientCollector collector = mlp.newGradientCollector()) {
            NDList inputs = new NDList();
            for (BatchTensor embedding : embeddings) {
                NDArray input = manager.create(embedding.values(), new Shape(rows, embedding.width()));
                input.setRequiresGradient(true);
                inputs.add(input);
            }
            NDArray logits = mlp.forward(manager, NDArrays.concat(inputs, 1), true);
            NDArray target = manager.create(labels, new Shape(rows, 1));
            NDArray loss = Loss.sigmoidBinaryCrossEntropyLoss().evaluate(new NDList(target), new NDList(logits));
            collector.backward(loss);
            List<BatchTensor> gradients = new ArrayList<>(inputs.size());
            for (NDArray input : inputs) {
                gradients.add(new BatchTensor(BottomModel.EMBEDDING_GRADIENT, rows, (int) input.getShape().get(1),
                        input.getGradient().toFloatArray()));
            }
            return new Step(loss.getFloat(), mlp.gradients(), gradients);
        }
    }

    /** The head's logits for rows whose embeddings are given (one per party, constructor order): scoring, no gradients. */
    public float[] logits(List<BatchTensor> embeddings) {
        int rows = embeddings.get(0).rows();
        try (NDManager manager = mlp.newSubManager()) {
            NDList inputs = new NDList();
            for (int i = 0; i < embeddings.size(); i++) {
                BatchTensor embedding = embeddings.get(i);
                if (embedding.rows() != rows || embedding.width() != embeddingWidths.get(i)) {
                    throw new IllegalArgumentException("Embedding " + i + " is [" + embedding.rows() + ", "
                            + embedding.width() + "], expected [" + rows + ", " + embeddingWidths.get(i) + "]");
                }
                inputs.add(manager.create(embedding.values(), new Shape(rows, embedding.width())));
            }
            return mlp.forward(manager, NDArrays.concat(inputs, 1), false).toFloatArray();
        }
    }

    @Override
    public void close() {
        mlp.close();
    }
}
