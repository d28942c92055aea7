package io.meshfl.vertical.split;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.meshfl.training.engine.TorchEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * A multilayer perceptron on DJL (PyTorch): linear layers with ReLU between them, no activation after the last, the
 * building block of both sides of a split model. Parameters go in and out as float arrays in layer order (weight
 * [out, in], then bias [out], per layer), so the same values can be placed in another model.
 */
public final class Mlp implements AutoCloseable {

    private final int inputs;
    private final List<Integer> widths;
    private final Model model;
    private final List<Parameter> parameters = new ArrayList<>();

    public Mlp(String name, int inputs, List<Integer> widths) {
        if (inputs < 1 || widths.isEmpty() || widths.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("An MLP needs at least one input and one layer of positive widths, got "
                    + inputs + " inputs and layers " + widths);
        }
        this.inputs = inputs;
        this.widths = List.copyOf(widths);
        SequentialBlock block = new SequentialBlock();
        for (int layer = 0; layer < widths.size(); layer++) {
            if (layer > 0) {
                block.add(Activation.reluBlock());
            }
            block.add(Linear.builder().setUnits(widths.get(layer)).build());
        }
        model = Model.newInstance(name, TorchEngine.ENGINE_NAME);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputs));
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            parameters.add(parameter.getValue());
            // No DJL Trainer here: the step code owns the backward pass, so the parameters collect gradients directly.
            parameter.getValue().getArray().setRequiresGradient(true);
        }
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return widths.get(widths.size() - 1);
    }

    /** Every parameter's current values, in layer order. */
    public List<float[]> values() {
        return parameters.stream().map(p -> p.getArray().toFloatArray()).toList();
    }

    /** Every parameter's shape, in layer order. */
    public List<Shape> shapes() {
        return parameters.stream().map(p -> p.getArray().getShape()).toList();
    }

    /** Sets every parameter from {@code values} (layer order, sizes as {@link #shapes()}). */
    public void load(List<float[]> values) {
        if (values.size() != parameters.size()) {
            throw new IllegalArgumentException("This MLP has " + parameters.size() + " parameters, got "
                    + values.size() + " arrays");
        }
        for (int i = 0; i < parameters.size(); i++) {
            NDArray array = parameters.get(i).getArray();
            if (values.get(i).length != array.getShape().size()) {
                throw new IllegalArgumentException("Parameter " + i + " has shape " + array.getShape() + ", got "
                        + values.get(i).length + " values");
            }
            array.set(values.get(i));
        }
    }

    /** The gradients the last backward pass left, in layer order. */
    public List<float[]> gradients() {
        return parameters.stream().map(p -> p.getArray().getGradient().toFloatArray()).toList();
    }

    NDManager newSubManager() {
        return model.getNDManager().newSubManager();
    }

    NDArray forward(NDManager manager, NDArray input, boolean training) {
        return model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), training)
                .singletonOrThrow();
    }

    /**
     * Opens a gradient collector with this MLP's gradients zeroed: PyTorch accumulates gradients across backward
     * passes, and a step must report only its own batch's.
     */
    GradientCollector newGradientCollector() {
        GradientCollector collector = Engine.getEngine(TorchEngine.ENGINE_NAME).newGradientCollector();
        for (Parameter parameter : parameters) {
            NDArray array = parameter.getArray();
            if (array.hasGradient()) {
                NDArray gradient = array.getGradient();
                gradient.subi(gradient);
            }
        }
        return collector;
    }

    @Override
    public void close() {
        model.close();
    }
}
