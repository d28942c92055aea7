package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.dataset.TabularDataset;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.model.NamedTensor;
import java.util.ArrayList;
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
}
