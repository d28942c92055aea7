package io.meshfl.aggregation.round;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.FlatWeights;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.streaming.StoredHeader;
import io.meshfl.core.streaming.StreamedModel;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The round's updates streamed from the object store while the strategy folds them: K concurrent ranged GETs into
 * rings of a few blocks each, so scratch space is O(lanes × block × K) instead of K downloaded files, and the
 * download overlaps the arithmetic. Every header is read and strictly checked before any data; every update's data
 * is hashed as it arrives and {@link #verifyUnchanged} compares the hashes with the accepted ones before the caller
 * publishes. An update whose data is not in the global model's order is downloaded and checked up front instead,
 * as is the global model when the strategy reads it.
 */
final class StreamedInputs implements RoundInputs {

    /** Headers read at once at the start of a round's close. */
    private static final int HEADER_READS = 8;

    private final List<StreamedModel> streams;
    private final List<UpdateView> streamedUpdates;
    private final List<SafetensorsReader> readers;
    /** The updates that were downloaded rather than streamed (every one, when the model has integer tensors). */
    private final List<SafetensorsReader> downloadedUpdates = new ArrayList<>();
    private final ModelManifest manifest;
    private RoundInput input;

    private StreamedInputs(ModelManifest manifest, List<StreamedModel> streams, List<UpdateView> streamedUpdates,
            List<SafetensorsReader> readers) {
        this.manifest = manifest;
        this.streams = streams;
        this.streamedUpdates = streamedUpdates;
        this.readers = readers;
    }

    static StreamedInputs open(ObjectStore store, RoundView round, List<UpdateView> updates, Strategy strategy,
            LocalCopies copies, PhaseTimes times) {
        StoredHeader globalHeader = times.time(Phase.READ, () -> StoredHeader.read(store, round.globalModelKey()));
        ModelManifest manifest = ModelManifest.of(globalHeader.checked().header());
        StreamedInputs opened = new StreamedInputs(manifest, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try {
            FlatWeights global = strategy.readsGlobalModel()
                    ? opened.downloaded(copies.fetch(round.globalModelKey()), times)
                    : new LayoutOnly(floatingValues(manifest));
            int lanes = Runtime.getRuntime().availableProcessors();
            List<StoredHeader> headers = times.time(Phase.READ, () -> headers(store, updates));
            List<ClientUpdate> clients = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                UpdateView update = updates.get(i);
                FlatWeights weights = opened.update(store, update, headers.get(i), lanes, copies, times);
                clients.add(new ClientUpdate(update.domain(), update.numExamples(), weights));
            }
            opened.input = new RoundInput(global, clients);
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Every update's header (a HEAD and a ranged GET each), several at once: K round trips one after the other
     * would hold the first stream back by K latencies. An unreadable header is a mismatch with what was accepted.
     */
    private static List<StoredHeader> headers(ObjectStore store, List<UpdateView> updates) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(HEADER_READS, updates.size()), task -> {
            Thread thread = new Thread(task, "meshfl-headers");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<StoredHeader>> pending = new ArrayList<>();
            for (UpdateView update : updates) {
                pending.add(pool.submit(() -> StoredHeader.read(store, update.objectKey())));
            }
            List<StoredHeader> headers = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                try {
                    headers.add(pending.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SafetensorsFormatException format) {
                        RoundInputs.requireAccepted(updates.get(i), "unreadable (" + format.getMessage() + ")");
                    }
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading update headers");
                }
            }
            return headers;
        } finally {
            pool.shutdownNow();
        }
    }

    private FlatWeights update(ObjectStore store, UpdateView update, StoredHeader header, int lanes,
            LocalCopies copies, PhaseTimes times) {
        if (header.followsOrderOf(manifest)) {
            StreamedModel stream = StreamedModel.start(store, header, lanes);
            streams.add(stream);
            streamedUpdates.add(update);
            return stream.weights(manifest);
        }
        Path file = times.time(Phase.READ, () -> copies.fetch(update.objectKey()));
        RoundInputs.requireAccepted(update, times.time(Phase.VALIDATE, () -> DownloadedInputs.sha256(file)));
        FlatWeights weights = downloaded(file, times);
        downloadedUpdates.add(readers.get(readers.size() - 1));
        return weights;
    }

    private FlatWeights downloaded(Path file, PhaseTimes times) {
        SafetensorsReader reader = times.time(Phase.READ, () -> SafetensorsReader.open(file));
        readers.add(reader);
        return new FlatModelReader(reader, manifest);
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
        RoundInputs.writeIntegerTensors(manifest, downloadedUpdates, input.updates().size(), writer);
    }

    @Override
    public void verifyUnchanged(PhaseTimes times) {
        for (int i = 0; i < streams.size(); i++) {
            StreamedModel stream = streams.get(i);
            RoundInputs.requireAccepted(streamedUpdates.get(i), times.time(Phase.VALIDATE, stream::finish));
        }
    }

    @Override
    public void close() {
        DownloadedInputs.closeAll(streams);
        DownloadedInputs.closeAll(readers);
    }

    /** The values strategies see: the floating-point tensors' (integer tensors are carried apart, as FlatModelReader does). */
    private static long floatingValues(ModelManifest manifest) {
        return manifest.tensors().stream().filter(t -> t.dtype().isFloatingPoint())
                .mapToLong(io.meshfl.core.safetensors.TensorSpec::elementCount).sum();
    }

    /** The global model's size for strategies that never read its values (the FedAvg family without state). */
    private record LayoutOnly(long size) implements FlatWeights {

        @Override
        public void read(long from, float[] target, int offset, int length) throws IOException {
            throw new IllegalStateException("the strategy declared it does not read the global model, but did");
        }
    }
}
