package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.dataset.TabularDataset;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.model.NamedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Converts the mesh's datasets and the object store's weights into what the training function's model code takes. */
public final class ModelInputs {

    private ModelInputs() {
    }

    /** Features row-major and the label as its class index, as the training function reads a data product. */
    public static TabularData rows(TabularDataset dataset) {
        int columns = dataset.featureNames().size();
        float[] features = new float[dataset.rows() * columns];
        float[] labels = new float[dataset.rows()];
        for (int row = 0; row < dataset.rows(); row++) {
            System.arraycopy(dataset.features()[row], 0, features, row * columns, columns);
            labels[row] = dataset.labels()[row];
        }
        return new TabularData(dataset.featureNames(), features, labels);
    }

    /** Safetensors weights (core) as the training code's named tensors, in the same order. */
    public static io.meshfl.training.model.ModelWeights weights(ModelWeights weights) {
        List<NamedTensor> tensors = new ArrayList<>();
        for (int i = 0; i < weights.values().size(); i++) {
            var spec = weights.manifest().tensors().get(i);
            tensors.add(new NamedTensor(spec.name(), spec.shape().stream().mapToLong(Long::longValue).toArray(),
                    weights.values().get(i).clone()));
        }
        return new io.meshfl.training.model.ModelWeights(tensors);
    }

    /** Every tensor's values one after another: the flat vector strategies aggregate. */
    public static float[] flat(io.meshfl.training.model.ModelWeights weights) {
        int size = weights.tensors().stream().mapToInt(t -> t.values().length).sum();
        float[] flat = new float[size];
        int position = 0;
        for (NamedTensor tensor : weights.tensors()) {
            System.arraycopy(tensor.values(), 0, flat, position, tensor.values().length);
            position += tensor.values().length;
        }
        return flat;
    }

    /** {@code flat} cut back into tensors named and shaped like {@code layout}'s. */
    public static io.meshfl.training.model.ModelWeights unflat(float[] flat, io.meshfl.training.model.ModelWeights layout) {
        List<NamedTensor> tensors = new ArrayList<>();
        int position = 0;
        for (NamedTensor tensor : layout.tensors()) {
            int length = tensor.values().length;
            tensors.add(new NamedTensor(tensor.name(), tensor.shape(), Arrays.copyOfRange(flat, position, position + length)));
            position += length;
        }
        return new io.meshfl.training.model.ModelWeights(tensors);
    }
}
