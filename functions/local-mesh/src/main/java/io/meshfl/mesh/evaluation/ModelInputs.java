package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.dataset.TabularDataset;
import io.meshfl.training.dataproduct.TabularData;
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

    /** Every tensor's values one after another: the flat vector strategies aggregate. */
    public static float[] flat(ModelWeights weights) {
        int size = weights.values().stream().mapToInt(t -> t.length).sum();
        float[] flat = new float[size];
        int position = 0;
        for (float[] tensor : weights.values()) {
            System.arraycopy(tensor, 0, flat, position, tensor.length);
            position += tensor.length;
        }
        return flat;
    }

    /** {@code flat} cut back into tensors named and shaped like {@code layout}'s. */
    public static ModelWeights unflat(float[] flat, ModelWeights layout) {
        List<float[]> tensors = new ArrayList<>();
        int position = 0;
        for (float[] tensor : layout.values()) {
            tensors.add(Arrays.copyOfRange(flat, position, position + tensor.length));
            position += tensor.length;
        }
        return new ModelWeights(layout.manifest(), tensors);
    }
}
