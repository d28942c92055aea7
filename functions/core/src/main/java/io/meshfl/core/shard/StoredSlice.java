package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsHeader;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.StreamedDataSection;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.ShardPlan.Piece;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.FlatWeights;
import io.meshfl.core.streaming.StoredHeader;
import io.meshfl.core.streaming.StreamedModel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Some pieces of a stored safetensors object (a shard's part of an update, a partial sum, a global model) seen as one
 * flat vector of their floating-point values, read with ranged GETs of only those bytes. Pieces that lie back to back
 * in the object form one run, streamed by one GET into a ring (see {@link StreamedDataSection}); in an object laid
 * out in the model's order that is one GET per object and shard. Integer pieces (I64 counters) are fetched apart.
 * Each value is read once, front to back, as streamed updates are.
 */
public final class StoredSlice implements FlatWeights, AutoCloseable {

    private static final int CHUNK_BYTES = 1 << 16;
    private static final int AHEAD = 2;
    private static final long STALL_MILLIS = 120_000;

    private final ObjectStore store;
    private final StoredHeader header;
    private final List<Piece> integers;
    private final List<StreamedDataSection> sections = new ArrayList<>();
    private final List<FlatModelReader> runs = new ArrayList<>();
    private final long[] runStarts;
    private final long size;
    private final boolean holdsDoubles;

    private StoredSlice(ObjectStore store, StoredHeader header, List<Piece> pieces, int lanes, boolean holdsDoubles)
            throws IOException {
        this.store = store;
        this.header = header;
        this.holdsDoubles = holdsDoubles;
        this.integers = pieces.stream().filter(p -> !p.floating()).toList();
        List<List<TensorInfo>> grouped = runs(pieces.stream().filter(Piece::floating).toList());
        this.runStarts = new long[grouped.size()];
        long flat = 0;
        for (int r = 0; r < grouped.size(); r++) {
            runStarts[r] = flat;
            flat += start(grouped.get(r), lanes);
        }
        this.size = flat;
    }

    /**
     * Opens {@code pieces} of the object {@code header} describes (read first with {@link StoredHeader#read}).
     *
     * @param expectedEtag the version the caller means (an update's registered ETag), or null for any
     * @param lanes how many threads read blocks of it at once
     * @param holdsDoubles what {@link #holdsDoubles()} answers: the whole model's flag, not this slice's, so that every
     *     shard folds as the single aggregator would
     */
    public static StoredSlice open(ObjectStore store, StoredHeader header, String expectedEtag, List<Piece> pieces,
            int lanes, boolean holdsDoubles) throws IOException {
        String etag = header.object().etag();
        if (expectedEtag != null && !expectedEtag.equals(etag)) {
            throw new CannotAggregate.UpdateChanged(header.object().key() + " is at ETag " + etag + ", not the "
                    + expectedEtag + " it was registered with: it changed since, refusing to aggregate it");
        }
        return new StoredSlice(store, header, pieces, lanes, holdsDoubles);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean holdsDoubles() {
        return holdsDoubles;
    }

    @Override
    public int maxBlock() {
        return StreamedModel.BLOCK_VALUES;
    }

    @Override
    public void read(long from, float[] target, int offset, int length) throws IOException {
        walk(from, length, (run, within, at, count) -> runs.get(run).read(within, target, offset + at, count));
    }

    @Override
    public void readDoubles(long from, double[] target, int offset, int length) throws IOException {
        walk(from, length, (run, within, at, count) -> runs.get(run).readDoubles(within, target, offset + at, count));
    }

    /** The integer pieces' values, concatenated in piece order (a small ranged GET each). */
    public long[] readLongs() throws IOException {
        long total = integers.stream().mapToLong(Piece::count).sum();
        long[] values = new long[Math.toIntExact(total)];
        int at = 0;
        for (Piece piece : integers) {
            TensorInfo tensor = located(piece);
            long from = header.checked().dataStart() + tensor.begin() + piece.fromElement() * 8;
            int bytes = Math.toIntExact(piece.count() * 8);
            try (InputStream in = store.openRange(header.object().key(), from, from + bytes)) {
                byte[] raw = in.readNBytes(bytes);
                if (raw.length != bytes) {
                    throw new EOFException(header.object().key() + " ended inside tensor '" + piece.name() + "'");
                }
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values, at, (int) piece.count());
            }
            at += (int) piece.count();
        }
        return values;
    }

    @Override
    public void close() {
        sections.forEach(StreamedDataSection::close);
    }

    private interface Chunk {
        void read(int run, long within, int done, int count) throws IOException;
    }

    private void walk(long from, int length, Chunk chunk) throws IOException {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("[" + from + ", " + (from + length) + ") outside a slice of " + size);
        }
        int run = Arrays.binarySearch(runStarts, from);
        run = run >= 0 ? run : -run - 2;
        long position = from;
        int done = 0;
        while (done < length) {
            long runEnd = run + 1 < runStarts.length ? runStarts[run + 1] : size;
            int count = (int) Math.min(length - done, runEnd - position);
            if (count > 0) {
                chunk.read(run, position - runStarts[run], done, count);
                position += count;
                done += count;
            }
            run++;
        }
    }

    /** The floating pieces as they lie in this object, grouped into runs of back-to-back byte ranges. */
    private List<List<TensorInfo>> runs(List<Piece> floating) {
        List<List<TensorInfo>> runs = new ArrayList<>();
        long runEnd = -1;
        for (Piece piece : floating) {
            TensorInfo tensor = located(piece);
            int size = tensor.dtype().byteSize();
            TensorInfo range = new TensorInfo(TensorSpec.of(piece.name(), tensor.dtype(), piece.count()),
                    tensor.begin() + piece.fromElement() * size, tensor.begin() + (piece.fromElement() + piece.count()) * size);
            if (range.begin() != runEnd) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(range);
            runEnd = range.end();
        }
        return runs;
    }

    /** Starts streaming one run; returns its number of values. */
    private long start(List<TensorInfo> run, int lanes) {
        String key = header.object().key();
        long first = run.get(0).begin();
        long length = run.get(run.size() - 1).end() - first;
        List<TensorInfo> relative = run.stream()
                .map(t -> new TensorInfo(t.spec(), t.begin() - first, t.end() - first)).toList();
        int widest = run.stream().mapToInt(t -> t.dtype().byteSize()).max().orElse(1);
        int slots = StreamedDataSection.ringFor(lanes, (long) StreamedModel.BLOCK_VALUES * widest, CHUNK_BYTES, AHEAD);
        long dataStart = header.checked().dataStart() + first;
        String source = key + " bytes [" + first + ", " + (first + length) + ")";
        StreamedDataSection section = new StreamedDataSection(source, length,
                (from, to) -> store.openRange(key, dataStart + from, dataStart + to), CHUNK_BYTES, slots, STALL_MILLIS);
        sections.add(section);
        SafetensorsHeader virtual = new SafetensorsHeader(Map.of(), relative);
        SafetensorsReader reader = SafetensorsReader.streamed(source, virtual, section, StreamedModel.BLOCK_VALUES);
        ModelManifest manifest = ModelManifest.of(virtual);
        runs.add(new FlatModelReader(reader, manifest));
        return manifest.parameterCount();
    }

    /** The piece's tensor in this object, checked to hold the piece's elements. */
    private TensorInfo located(Piece piece) {
        String key = header.object().key();
        TensorInfo tensor = header.checked().header().tensor(piece.name()).orElseThrow(() ->
                new IllegalArgumentException(key + " has no tensor '" + piece.name() + "'"));
        if (tensor.elementCount() < piece.fromElement() + piece.count()
                || tensor.dtype().isFloatingPoint() != piece.floating()) {
            throw new IllegalArgumentException(key + ": tensor '" + piece.name() + "' (" + tensor.dtype() + ", "
                    + tensor.elementCount() + " elements) cannot hold elements [" + piece.fromElement() + ", "
                    + (piece.fromElement() + piece.count()) + ") of a " + piece.tensor().dtype() + " tensor");
        }
        return tensor;
    }
}
