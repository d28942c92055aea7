package io.meshfl.mesh.vertical;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.training.train.GradientRecording;
import java.util.ArrayList;
import java.util.List;

/**
 * The split model's architecture as one DJL network in one place: each column group through its own MLP (a bottom),
 * the outputs concatenated, an MLP on top (the head), one logit, sigmoid binary cross-entropy. The vertical demo's
 * centralised baseline (all groups) and each domain alone (one group) train it, so they differ from split learning in
 * where the computation runs, not in what is computed. Parameters are in the split model's order: every bottom's
 * layers in group order, then the head's.
 */
final class CombinedModel implements AutoCloseable {

    private final int columns;
    private final Model model;
    private final SequentialBlock block;
    private final List<NDArray> parameters = new ArrayList<>();

    /**
     * @param groups for each bottom, how many consecutive columns of the input it reads
     * @param bottomLayers every bottom's widths (the last is its embedding width)
     * @param headLayers the head's widths, ending in 1
     */
    CombinedModel(List<Integer> groups, List<Integer> bottomLayers, List<Integer> headLayers) {
        List<Block> branches = new ArrayList<>();
        int from = 0;
        for (int count : groups) {
            int start = from;
            SequentialBlock branch = new SequentialBlock().add(new LambdaBlock(
                    x -> new NDList(x.singletonOrThrow().get(":, " + start + ":" + (start + count)))));
            layers(branch, bottomLayers);
            branches.add(branch);
            from += count;
        }
        columns = from;
        block = new SequentialBlock().add(new ParallelBlock(outputs -> {
            NDList embeddings = new NDList();
            outputs.forEach(output -> embeddings.add(output.singletonOrThrow()));
            return new NDList(NDArrays.concat(embeddings, 1));
        }, branches));
        layers(block, headLayers);
        model = Model.newInstance("combined", TorchEngine.ENGINE_NAME);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, columns));
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            array.setRequiresGradient(true);
            parameters.add(array);
        }
    }

    List<float[]> values() {
        return parameters.stream().map(NDArray::toFloatArray).toList();
    }

    void load(List<float[]> values) {
        if (values.size() != parameters.size()) {
            throw new IllegalArgumentException("The combined model has " + parameters.size() + " parameters, got "
                    + values.size() + " arrays");
        }
        for (int i = 0; i < values.size(); i++) {
            parameters.get(i).set(values.get(i));
        }
    }

    /** One forward and backward pass over {@code rows} of {@code features}; returns the parameters' gradients. */
    List<float[]> gradients(float[][] features, int[] rows, float[] labels) {
        try (GradientRecording recording = GradientRecording.begin();
                NDManager manager = model.getNDManager().newSubManager()) {
            for (NDArray parameter : parameters) {
                if (parameter.hasGradient()) {
                    // PyTorch accumulates gradients across backward passes; each step reports only its own batch's.
                    parameter.getGradient().subi(parameter.getGradient());
                }
            }
            try (GradientCollector collector = Engine.getEngine(TorchEngine.ENGINE_NAME).newGradientCollector()) {
                NDArray logits = forward(manager, features, rows, true);
                NDArray loss = Loss.sigmoidBinaryCrossEntropyLoss().evaluate(
                        new NDList(manager.create(labels, new Shape(rows.length, 1))), new NDList(logits));
                collector.backward(loss);
            }
            return parameters.stream().map(p -> p.getGradient().toFloatArray()).toList();
        }
    }

    /** The logits of {@code rows} of {@code features}. */
    float[] logits(float[][] features, int[] rows) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            return forward(manager, features, rows, false).toFloatArray();
        }
    }

    private NDArray forward(NDManager manager, float[][] features, int[] rows, boolean training) {
        float[] values = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features[rows[i]], 0, values, i * columns, columns);
        }
        NDArray input = manager.create(values, new Shape(rows.length, columns));
        return block.forward(new ParameterStore(manager, false), new NDList(input), training).singletonOrThrow();
    }

    private static void layers(SequentialBlock block, List<Integer> widths) {
        for (int layer = 0; layer < widths.size(); layer++) {
            if (layer > 0) {
                block.add(Activation.reluBlock());
            }
            block.add(Linear.builder().setUnits(widths.get(layer)).build());
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
