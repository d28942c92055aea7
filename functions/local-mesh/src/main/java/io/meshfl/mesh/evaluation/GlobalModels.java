package io.meshfl.mesh.evaluation;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads global models from the object store, as the governance may (through a local copy). */
public final class GlobalModels {

    private final ObjectStore store;
    private final Path workDir;

    public GlobalModels(ObjectStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    public ModelWeights read(String key) {
        try {
            return ModelWeights.read(localCopy(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the global model " + key, e);
        }
    }

    /** The SHA-256 of the global model's data section: what an update trained from it signs as its base. */
    public String sha256(String key) {
        try (SafetensorsReader reader = SafetensorsReader.open(localCopy(key))) {
            return reader.dataSha256();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the global model " + key, e);
        }
    }

    private Path localCopy(String key) {
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve(key.replace('/', '_'));
            if (!Files.exists(file)) {
                // Global models never change once written (one per round), so a local copy stays valid.
                Path partial = workDir.resolve(file.getFileName() + ".part");
                store.download(key, partial);
                Files.move(partial, file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the global model " + key, e);
        }
    }
}
