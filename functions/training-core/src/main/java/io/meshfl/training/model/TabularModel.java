package io.meshfl.training.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.training.engine.TorchEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * A DJL model (PyTorch engine) built from an {@link Architecture}: linear layers with ReLU between them. Weights go
 * in and out as float arrays under the architecture's parameter names, bit for bit.
 */
public final class TabularModel implements AutoCloseable {

    private final Architecture architecture;
    private final Model model;
    private final List<Parameter> parameters;

    private TabularModel(Architecture architecture, Model model, List<Parameter> parameters) {
        this.architecture = architecture;
        this.model = model;
        this.parameters = parameters;
    }

    /** Builds the model with freshly initialised parameters (random, from the engine's seed). */
    public static TabularModel create(Architecture architecture) {
        SequentialBlock block = new SequentialBlock();
        List<Integer> widths = architecture.layerWidths();
        for (int layer = 0; layer < widths.size(); layer++) {
            if (layer > 0) {
                block.add(Activation.reluBlock());
            }
            block.add(Linear.builder().setUnits(widths.get(layer)).build());
        }
        Model model = Model.newInstance(architecture.template().id(), TorchEngine.ENGINE_NAME);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(architecture, 1));
        List<Parameter> parameters = new ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            parameters.add(parameter.getValue());
        }
        return new TabularModel(architecture, model, List.copyOf(parameters));
    }

    /** Builds the model and sets its parameters to {@code weights}. */
    public static TabularModel of(Architecture architecture, ModelWeights weights) {
        TabularModel model = create(architecture);
        try {
            model.load(weights);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    static Shape inputShape(Architecture architecture, long batch) {
        return new Shape(batch, architecture.inputs());
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The DJL model, for the trainer. */
    public Model djlModel() {
        return model;
    }

    /** Sets every parameter in place from {@code weights}, which must fit the architecture exactly. */
    public void load(ModelWeights weights) {
        architecture.requireFits(weights);
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).getArray().set(weights.values().get(i));
        }
    }

    /** A copy of every parameter, named as the architecture names them. */
    public ModelWeights weights() {
        List<TensorSpec> specs = architecture.parameters();
        List<float[]> values = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec spec = specs.get(i);
            NDArray array = parameters.get(i).getArray();
            Shape expected = new Shape(spec.shape().stream().mapToLong(Long::longValue).toArray());
            if (!array.getShape().equals(expected)) {
                throw new IllegalStateException("DJL parameter " + i + " has shape " + array.getShape()
                        + ", the architecture expects " + spec.name() + spec.shape());
            }
            values.add(array.toFloatArray());
        }
        return new ModelWeights(new ModelManifest(specs), values);
    }

    /**
     * The model's raw outputs for {@code rows} rows of standardised features (row-major): class logits, or the
     * predicted value for the regressor; {@code rows * outputs} values, row-major.
     */
    public float[] predict(float[] features, int rows) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = manager.create(features, inputShape(architecture, rows));
            NDList output = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false);
            return output.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
