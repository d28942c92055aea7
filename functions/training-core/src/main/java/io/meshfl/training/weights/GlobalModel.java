package io.meshfl.training.weights;

import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A round's global model read from its safetensors file with core's reader: the weights as the model takes them,
 * the file's manifest, which the update is written with (same names, order and dtypes, as the aggregator
 * requires), and the SHA-256 of its data section, which the update's signed {@code base_model_sha256} names.
 */
public record GlobalModel(ModelManifest manifest, ModelWeights weights, String sha256) {

    /**
     * Reads {@code file} without checking it against a recorded checksum.
     *
     * @throws io.meshfl.core.safetensors.SafetensorsFormatException if the file is not valid safetensors or holds a
     *     tensor that is not floating point
     */
    public static GlobalModel read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads {@code file} if its data SHA-256 is {@code recordedSha256} (the checksum the registry recorded for this
     * global model); null skips the check.
     *
     * @throws AlteredGlobalModelException if the data hashes to anything else: the object was replaced or altered
     *     after the registry recorded it, and nothing may be trained from it
     */
    public static GlobalModel read(Path file, String recordedSha256) throws IOException {
        String sha256;
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            sha256 = reader.dataSha256();
        }
        if (recordedSha256 != null && !recordedSha256.equals(sha256)) {
            throw new AlteredGlobalModelException("its data SHA-256 is " + sha256 + " but the registry recorded "
                    + recordedSha256);
        }
        ModelWeights stored = ModelWeights.read(file);
        return new GlobalModel(stored.manifest(), stored, sha256);
    }

    /**
     * {@code weights} (as the model produced them, in F32) laid out as this global model's file: its manifest, so
     * the update keeps the global model's dtypes. What core's update writer takes.
     */
    public ModelWeights layout(ModelWeights weights) {
        List<TensorSpec> produced = weights.manifest().tensors();
        for (int i = 0; i < manifest.tensors().size(); i++) {
            String name = i < produced.size() ? produced.get(i).name() : null;
            if (!manifest.tensors().get(i).name().equals(name)) {
                throw new IllegalArgumentException("tensor " + i + " is '" + name + "', the global model has '"
                        + manifest.tensors().get(i).name() + "'");
            }
        }
        return new ModelWeights(manifest, weights.values());
    }
}
