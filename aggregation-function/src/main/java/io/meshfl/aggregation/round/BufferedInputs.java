package io.meshfl.aggregation.round;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.async.StaleUpdate;
import io.meshfl.core.async.StalenessWeight;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.FlatWeights;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A closed buffer of an asynchronous model, downloaded: the current global model (version v), the global model each
 * update trained from, and the updates. Each update reaches the strategy as {@link StaleUpdate}, the current model
 * plus its staleness-weighted delta w(s)·(update − global(base)) with s = v − version(base), and keeps its
 * example count, so FedAvg gives x + Σ (n_i/N)·w(s_i)·Δ_i and the server optimisers step on that buffered delta.
 * Scratch is (K + bases + 1) × model size; every file is checked against the registry's record (an update's accepted
 * SHA-256, a base model's recorded checksum) before the strategy reads a value.
 */
final class BufferedInputs implements RoundInputs {

    private final List<SafetensorsReader> readers;
    private final ModelManifest manifest;
    private final RoundInput input;
    private final Map<String, Integer> staleness;
    private final List<SafetensorsReader> updateReaders;

    private BufferedInputs(List<SafetensorsReader> readers, ModelManifest manifest, RoundInput input,
            Map<String, Integer> staleness, List<SafetensorsReader> updateReaders) {
        this.readers = readers;
        this.updateReaders = updateReaders;
        this.manifest = manifest;
        this.input = input;
        this.staleness = staleness;
    }

    /** @param bases the round each update trained from, by round number (the buffer's own among them, if any) */
    static BufferedInputs open(RoundView buffer, List<UpdateView> updates, Map<Integer, RoundView> bases,
            LocalCopies copies, PhaseTimes times) {
        StalenessWeight weight = weight(buffer);
        List<String> objects = new ArrayList<>();
        objects.add(buffer.globalModelKey());
        updates.forEach(update -> objects.add(update.objectKey()));
        for (UpdateView update : updates) {
            String key = base(bases, update).globalModelKey();
            if (!objects.contains(key)) {
                objects.add(key);
            }
        }
        List<Path> files = times.time(Phase.READ, () -> copies.fetchAll(objects));
        for (int i = 0; i < updates.size(); i++) {
            Path file = files.get(i + 1);
            RoundInputs.requireAccepted(updates.get(i), times.time(Phase.VALIDATE, () -> DownloadedInputs.sha256(file)));
        }
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            Map<String, FlatWeights> models = new LinkedHashMap<>();
            SafetensorsReader current = SafetensorsReader.open(files.get(0));
            readers.add(current);
            ModelManifest manifest = current.manifest();
            models.put(buffer.globalModelKey(), new FlatModelReader(current, manifest));
            for (int i = updates.size() + 1; i < objects.size(); i++) {
                SafetensorsReader reader = SafetensorsReader.open(files.get(i));
                readers.add(reader);
                models.put(objects.get(i), new FlatModelReader(reader, manifest));
                String key = objects.get(i);
                RoundView base = bases.values().stream().filter(b -> b.globalModelKey().equals(key)).findFirst()
                        .orElseThrow();
                requireRecorded(base, reader, times);
            }
            List<ClientUpdate> clients = new ArrayList<>();
            List<SafetensorsReader> updateReaders = new ArrayList<>();
            Map<String, Integer> staleness = new LinkedHashMap<>();
            int version = version(buffer);
            for (int i = 0; i < updates.size(); i++) {
                UpdateView update = updates.get(i);
                RoundView base = base(bases, update);
                int behind = version - version(base);
                if (behind < 0) {
                    throw new RoundCannotBeAggregated("update '" + update.objectKey() + "' trained from version "
                            + version(base) + ", newer than buffer " + buffer.number() + "'s version " + version);
                }
                SafetensorsReader reader = SafetensorsReader.open(files.get(i + 1));
                readers.add(reader);
                updateReaders.add(reader);
                clients.add(new ClientUpdate(update.domain(), update.numExamples(), new StaleUpdate(
                        models.get(buffer.globalModelKey()), models.get(base.globalModelKey()),
                        new FlatModelReader(reader, manifest), weight.weight(behind))));
                staleness.put(update.domain(), behind);
            }
            RoundInput input = new RoundInput(models.get(buffer.globalModelKey()), clients);
            return new BufferedInputs(readers, manifest, input, staleness, updateReaders);
        } catch (IOException | RuntimeException e) {
            DownloadedInputs.closeAll(readers);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The policy's staleness function (core checks it as the registry did at registration). */
    static StalenessWeight weight(RoundView buffer) {
        RoundView.Staleness given = buffer.policy().staleness();
        return given == null ? StalenessWeight.defaults()
                : StalenessWeight.of("policy.staleness", given.function(), given.a(), given.b());
    }

    static int version(RoundView round) {
        return ObjectKeys.globalModelVersion(round.model(), round.globalModelKey()).orElse(round.number());
    }

    private static RoundView base(Map<Integer, RoundView> bases, UpdateView update) {
        RoundView base = bases.get(update.baseRound());
        if (base == null) {
            throw new IllegalStateException("no base round " + update.baseRound() + " resolved for "
                    + update.objectKey());
        }
        return base;
    }

    /**
     * An older global model is used only as the registry recorded it: the file must have its recorded checksum (the
     * current one was checked against the record when each update was validated against it).
     */
    private static void requireRecorded(RoundView base, SafetensorsReader reader, PhaseTimes times) {
        String recorded = base.globalModelChecksum();
        String actual = times.time(Phase.VALIDATE, reader::dataSha256);
        if (recorded != null && !recorded.equals(actual)) {
            throw new RoundCannotBeAggregated("global model '" + base.globalModelKey() + "' (base of round "
                    + base.number() + ") has data SHA-256 " + actual + ", the registry recorded " + recorded);
        }
    }

    /** Each update's staleness s (versions behind the buffer's model), by domain: written in the model's metadata. */
    Map<String, Integer> staleness() {
        return staleness;
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
        RoundInputs.writeIntegerTensors(manifest, updateReaders, input.updates().size(), writer);
    }

    @Override
    public void verifyUnchanged(PhaseTimes times) {
        // Checked when opened, before the strategy read a value.
    }

    @Override
    public void close() {
        DownloadedInputs.closeAll(readers);
    }
}
