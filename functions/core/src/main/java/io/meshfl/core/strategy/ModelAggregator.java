package io.meshfl.core.strategy;

import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a strategy over files: the round's global model, the (already validated) update files, and the server
 * state; writes the next global model with the global model's tensors, dtypes and order (floating-point tensors
 * as the strategy computes them, integer tensors by the {@link IntegerTensors} rule). On any failure the
 * partial output is deleted, so a failed round leaves nothing behind to be mistaken for a result.
 */
public final class ModelAggregator {

    /** An accepted update on local disk, with the example count from its metadata. */
    public record UpdateFile(String id, Path file, long numExamples) {
    }

    /** The new global model's data SHA-256 (hex) and the strategy's outcome (next state, report). */
    public record Result(String sha256, AggregationOutcome outcome) {
    }

    private ModelAggregator() {
    }

    public static Result aggregate(Strategy strategy, Path global, List<UpdateFile> updates, ServerState state,
                                   Path output, Map<String, String> outputMetadata) throws IOException {
        List<SafetensorsReader> readers = new ArrayList<>();
        try (SafetensorsReader globalReader = SafetensorsReader.open(global)) {
            ModelManifest manifest = globalReader.manifest();
            List<ClientUpdate> clients = new ArrayList<>();
            for (UpdateFile update : updates) {
                SafetensorsReader reader = SafetensorsReader.open(update.file());
                readers.add(reader);
                clients.add(new ClientUpdate(update.id(), update.numExamples(), new FlatModelReader(reader, manifest)));
            }
            RoundInput round = new RoundInput(new FlatModelReader(globalReader, manifest), clients);
            try (SafetensorsWriter writer = SafetensorsWriter.create(output, manifest.tensors(), outputMetadata)) {
                AggregationOutcome outcome = strategy.aggregate(round, state, new FlatModelWriter(writer));
                IntegerTensors.writeMaximum(manifest, readers, writer);
                return new Result(writer.finish(), outcome);
            }
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }
}
