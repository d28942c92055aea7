package io.meshfl.core.safetensors;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A data section that arrives as a stream (ranged GETs of a stored object) and is read once, front to back, by
 * aggregation lanes that may each be a block ahead of the other. A producer thread reads the stream into a ring of
 * {@code slots} chunks and hashes every byte on the way; a lane's read waits for its chunks, copies them into the
 * lane's buffer, and frees a chunk once all its bytes were read. Memory is the ring, whatever the model size.
 *
 * <p>The ring must hold every block the lanes may be reading at once ({@link #ringFor}): a lane can be computing
 * block b while another has not started block b − 1. Reading a byte twice is a bug (the strategy makes two passes,
 * and must not be given streamed updates): it fails rather than returning whatever the slot holds now.
 *
 * <p>{@link #finish} drains what nobody read, and returns the SHA-256 of the whole data section: the caller compares
 * it with the registered one before anything computed from these bytes is published.
 */
public final class StreamedDataSection implements DataSection {

    /** Opens the data section's bytes {@code [from, to)}; a failed stream is reopened where it broke. */
    public interface RangeOpener {
        InputStream open(long from, long to) throws IOException;
    }

    /** Reopens of a broken stream without progress in between before giving up. */
    private static final int ATTEMPTS = 3;

    private final String source;
    private final long length;
    private final RangeOpener opener;
    private final int chunkBytes;
    private final byte[][] ring;
    private final long[] chunkInSlot;
    private final int[] unread;
    private final long stallNanos;
    private final Thread producer;
    private long produced;
    private boolean draining;
    private boolean closed;
    private String sha256;
    private Throwable failure;
    /** The stream being read, so that closing the section unblocks a producer waiting on the network. */
    private volatile InputStream current;

    /**
     * @param stallMillis how long a read waits for bytes that do not come before it fails (a dead stream, or a
     *     lane that failed and left its chunks unread)
     */
    public StreamedDataSection(String source, long length, RangeOpener opener, int chunkBytes, int slots,
            long stallMillis) {
        if (slots < 2 || chunkBytes < 8) {
            throw new IllegalArgumentException("a ring needs two chunks of 8 bytes at least: " + slots + " × " + chunkBytes);
        }
        this.source = source;
        this.length = length;
        this.opener = opener;
        this.chunkBytes = chunkBytes;
        this.ring = new byte[slots][chunkBytes];
        this.chunkInSlot = new long[slots];
        java.util.Arrays.fill(chunkInSlot, -1);
        this.unread = new int[slots];
        this.stallNanos = stallMillis * 1_000_000L;
        this.producer = new Thread(this::produce, "meshfl-stream-" + source);
        producer.setDaemon(true);
        producer.start();
    }

    /**
     * Chunks a ring needs so that {@code lanes} lanes reading blocks of {@code blockBytes} never wait on each other
     * (one block per lane, two chunks a block may straddle), plus {@code ahead} chunks read ahead.
     */
    public static int ringFor(int lanes, long blockBytes, int chunkBytes, int ahead) {
        return (int) ((lanes * blockBytes + chunkBytes - 1) / chunkBytes) + 2 + ahead;
    }

    /** Heap bytes the ring holds. */
    public long bufferBytes() {
        return (long) ring.length * chunkBytes;
    }

    @Override
    public ByteBuffer read(long position, int count, String what) throws IOException {
        ByteBuffer buffer = LaneBuffers.take(count);
        long at = position;
        long end = position + count;
        while (at < end) {
            long chunk = at / chunkBytes;
            int slot = (int) (chunk % ring.length);
            int within = (int) (at - chunk * chunkBytes);
            int n = (int) Math.min(end - at, chunkBytes - within);
            awaitChunk(chunk, slot, what);
            // The slot cannot be refilled before this read marks its bytes as read, below.
            buffer.put(ring[slot], within, n);
            release(slot, n, what);
            at += n;
        }
        return buffer.flip();
    }

    /**
     * Reads to the end of the section whatever was not read, waits for the stream, and returns the SHA-256 (hex) of
     * every byte of the data section.
     */
    public String finish() throws IOException {
        synchronized (this) {
            draining = true;
            notifyAll();
            long waitedSince = System.nanoTime();
            long seen = produced;
            while (sha256 == null && failure == null) {
                if (produced != seen) { // draining a long rest is progress, not a stall
                    seen = produced;
                    waitedSince = System.nanoTime();
                }
                waitQuietly(waitedSince, "the end of the stream");
            }
            rethrow();
            return sha256;
        }
    }

    private synchronized void awaitChunk(long chunk, int slot, String what) throws IOException {
        long waitedSince = System.nanoTime();
        while (produced <= chunk * chunkBytes && failure == null && !closed) {
            waitQuietly(waitedSince, what);
        }
        rethrow();
        if (closed) {
            throw new IOException(source + " was closed while reading " + what);
        }
        if (chunkInSlot[slot] != chunk) {
            throw new IllegalStateException(source + ": " + what + " was read twice, or out of the streaming window");
        }
    }

    private synchronized void release(int slot, int n, String what) {
        unread[slot] -= n;
        if (unread[slot] < 0) {
            throw new IllegalStateException(source + ": " + what + " was read twice");
        }
        if (unread[slot] == 0) {
            notifyAll();
        }
    }

    private void waitQuietly(long waitedSince, String what) throws IOException {
        long left = stallNanos - (System.nanoTime() - waitedSince);
        if (left <= 0) {
            throw new IOException(source + ": no data for " + stallNanos / 1_000_000 + " ms while reading " + what);
        }
        try {
            wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming " + what + " of " + source);
        }
    }

    private void rethrow() throws IOException {
        if (failure instanceof IOException io) {
            throw new IOException(source + ": " + io.getMessage(), io);
        }
        if (failure != null) {
            throw new IllegalStateException(source + ": streaming failed", failure);
        }
    }

    private void produce() {
        MessageDigest digest = SafetensorsReader.sha256();
        byte[] spare = null;
        int attempts = 0;
        try {
            long chunk = 0;
            for (long from = 0; from < length; chunk++) {
                int slot = (int) (chunk % ring.length);
                int n = (int) Math.min(chunkBytes, length - from);
                byte[] target = awaitSlot(slot);
                if (target == null) {
                    spare = spare == null ? new byte[chunkBytes] : spare;
                    target = spare; // draining: nobody reads this chunk, it is only hashed
                }
                int filled = 0;
                while (filled < n) {
                    try {
                        if (current == null) {
                            current = opener.open(from + filled, length);
                        }
                        int read = current.read(target, filled, n - filled);
                        if (read < 0) {
                            throw new IOException("stream ended at byte " + (from + filled) + " of " + length);
                        }
                        // Hashed as each piece arrives, while the socket's copy of it is likely still in cache
                        // (a hundred streams take turns on the same cores while a chunk fills).
                        digest.update(target, filled, read);
                        filled += read;
                        attempts = 0;
                    } catch (IOException e) {
                        closeQuietly(current);
                        current = null;
                        if (++attempts >= ATTEMPTS || closed()) {
                            throw e;
                        }
                    }
                }
                from += n;
                published(chunk, slot, n, target != spare, from);
            }
            closeQuietly(current);
            current = null;
            synchronized (this) {
                sha256 = HexFormat.of().formatHex(digest.digest());
                notifyAll();
            }
        } catch (Throwable e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        } finally {
            closeQuietly(current);
        }
    }

    /** The slot's array once its previous chunk was read, or null when draining (nobody will read any more). */
    private synchronized byte[] awaitSlot(int slot) throws IOException {
        while (unread[slot] > 0 && !draining && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                throw new InterruptedIOException("stream of " + source + " interrupted");
            }
        }
        if (closed) {
            throw new IOException(source + " closed");
        }
        return draining ? null : ring[slot];
    }

    private synchronized void published(long chunk, int slot, int n, boolean readable, long producedBytes) {
        if (readable) {
            chunkInSlot[slot] = chunk;
            unread[slot] = n;
        }
        produced = producedBytes;
        notifyAll();
    }

    private synchronized boolean closed() {
        return closed;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // The stream is abandoned either way (the SDK reports an interrupted read as AbortedException).
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
            if (sha256 != null || failure != null) {
                return; // the producer has finished
            }
        }
        producer.interrupt();
        closeQuietly(current);
    }
}
