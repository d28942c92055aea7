package io.meshfl.aggregation.round;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The round's global model and updates downloaded to scratch ((K + 1) × model size) and read from there; each
 * update's SHA-256 is checked against the accepted one before the strategy reads it. What strategies that read an
 * update twice (Krum, DP) need.
 */
final class DownloadedInputs implements RoundInputs {

    private final List<SafetensorsReader> readers;
    private final ModelManifest manifest;
    private final RoundInput input;

    private DownloadedInputs(List<SafetensorsReader> readers, ModelManifest manifest, RoundInput input) {
        this.readers = readers;
        this.manifest = manifest;
        this.input = input;
    }

    static DownloadedInputs open(RoundView round, List<UpdateView> updates, LocalCopies copies, PhaseTimes times) {
        List<String> objects = new ArrayList<>();
        objects.add(round.globalModelKey());
        updates.forEach(update -> objects.add(update.objectKey()));
        List<Path> files = times.time(Phase.READ, () -> copies.fetchAll(objects));
        for (int i = 0; i < updates.size(); i++) {
            Path file = files.get(i + 1);
            RoundInputs.requireAccepted(updates.get(i), times.time(Phase.VALIDATE, () -> sha256(file)));
        }
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            SafetensorsReader global = SafetensorsReader.open(files.get(0));
            readers.add(global);
            ModelManifest manifest = global.manifest();
            List<ClientUpdate> clients = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                SafetensorsReader reader = SafetensorsReader.open(files.get(i + 1));
                readers.add(reader);
                clients.add(new ClientUpdate(updates.get(i).domain(), updates.get(i).numExamples(),
                        new FlatModelReader(reader, manifest)));
            }
            return new DownloadedInputs(readers, manifest, new RoundInput(new FlatModelReader(global, manifest), clients));
        } catch (IOException | RuntimeException e) {
            closeAll(readers);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The file's data SHA-256, or a description of why it has none (a mismatch either way). */
    static String sha256(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.dataSha256();
        } catch (SafetensorsFormatException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public RoundInput input() {
        return input;
    }

    @Override
    public void writeIntegerTensors(io.meshfl.core.safetensors.SafetensorsWriter writer) throws IOException {
        // readers: the global model, then one per update
        RoundInputs.writeIntegerTensors(manifest, readers.subList(1, readers.size()), input.updates().size(), writer);
    }

    @Override
    public void verifyUnchanged(PhaseTimes times) {
        // Checked when opened, before the strategy read a value.
    }

    @Override
    public void close() {
        closeAll(readers);
    }

    static void closeAll(List<? extends AutoCloseable> closeables) {
        RuntimeException failure = null;
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not close " + closeable, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
