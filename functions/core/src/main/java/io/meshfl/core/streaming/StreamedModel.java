package io.meshfl.core.streaming;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.StreamedDataSection;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.FlatWeights;
import java.io.IOException;

/**
 * One stored safetensors object read in a single pass while it downloads: its data section arrives through one
 * ranged GET (reopened where it broke if the connection fails) into a ring sized for the aggregation's lanes, and
 * is hashed on the way. {@link #finish} returns the data's SHA-256 once every byte has arrived.
 */
public final class StreamedModel implements AutoCloseable {

    /** The block (in values) strategies are asked to keep to: Blocks.SIZE, what the robust strategies use anyway. */
    public static final int BLOCK_VALUES = 1 << 14;
    /**
     * Bytes per ring chunk, and chunks read ahead of the lanes. Every chunk is one hand-over between the stream's
     * thread and a lane (a wait and a wake-up each side): 256 KiB chunks (four blocks) hand over a quarter as often as
     * 64 KiB ones, which took the end-to-end round at P = 10M, K = 100 from 2.08× to 1.83× of "download only" on a
     * 2-core machine (bench/README.md), for 1 MiB of ring per update at two lanes instead of 384 KiB.
     */
    static final int CHUNK_BYTES = 1 << 18;
    static final int AHEAD = 1;
    /** A read that gets no byte for this long fails (a dead connection, or a lane that died holding chunks). */
    static final long STALL_MILLIS = 120_000;

    private final StoredHeader header;
    private final StreamedDataSection data;
    private final SafetensorsReader reader;

    private StreamedModel(StoredHeader header, StreamedDataSection data) {
        this.header = header;
        this.data = data;
        this.reader = SafetensorsReader.streamed(header.object().key(), header.checked().header(), data, BLOCK_VALUES);
    }

    /**
     * Starts streaming the data of the object whose header is {@code header} (read and checked first, see
     * {@link StoredHeader#read}), for {@code lanes} aggregation lanes.
     */
    public static StreamedModel start(ObjectStore store, StoredHeader header, int lanes) {
        String key = header.object().key();
        long dataStart = header.checked().dataStart();
        long blockBytes = (long) BLOCK_VALUES * header.widestElementBytes();
        int slots = StreamedDataSection.ringFor(lanes, blockBytes, CHUNK_BYTES, AHEAD);
        StreamedDataSection data = new StreamedDataSection(key, header.checked().header().dataLength(),
                (from, to) -> store.openRange(key, dataStart + from, dataStart + to), CHUNK_BYTES, slots,
                STALL_MILLIS);
        return new StreamedModel(header, data);
    }

    /** Heap bytes of ring buffers this model holds while it streams. */
    public static long bufferBytes(StoredHeader header, int lanes) {
        long blockBytes = (long) BLOCK_VALUES * header.widestElementBytes();
        return (long) StreamedDataSection.ringFor(lanes, blockBytes, CHUNK_BYTES, AHEAD) * CHUNK_BYTES;
    }

    /** The values in {@code manifest}'s order, which this object's data must follow ({@link StoredHeader#followsOrderOf}). */
    public FlatWeights weights(ModelManifest manifest) {
        if (!header.followsOrderOf(manifest)) {
            throw new IllegalArgumentException(header.object().key() + " does not lay its data out in the manifest's "
                    + "order: it cannot be streamed");
        }
        return new FlatModelReader(reader, manifest);
    }

    public StoredHeader header() {
        return header;
    }

    /** Drains what was not read and returns the SHA-256 (hex) of the whole data section. */
    public String finish() throws IOException {
        return data.finish();
    }

    @Override
    public void close() {
        data.close();
    }
}
