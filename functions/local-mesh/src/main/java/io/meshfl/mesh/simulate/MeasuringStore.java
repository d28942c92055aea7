package io.meshfl.mesh.simulate;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One invocation's view of the object store that counts what it costs: bytes read, GETs, PUTs and other requests,
 * and the heap the threads reading its streams allocate while they read (a node's ranged GETs are read by stream
 * threads of its own, not by the invocation's thread).
 */
final class MeasuringStore implements ObjectStore {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final ObjectStore store;
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong gets = new AtomicLong();
    final AtomicLong puts = new AtomicLong();
    final AtomicLong otherRequests = new AtomicLong();
    final AtomicLong streamThreadAllocated = new AtomicLong();

    MeasuringStore(ObjectStore store) {
        this.store = store;
    }

    /** Bytes the current thread has allocated on the heap since it started. */
    static long allocatedByThisThread() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    @Override
    public InputStream openRange(String key, long from, long to) {
        gets.incrementAndGet();
        return new Counted(store.openRange(key, from, to));
    }

    @Override
    public InputStream open(String key) {
        gets.incrementAndGet();
        return new Counted(store.open(key));
    }

    @Override
    public byte[] read(String key) {
        gets.incrementAndGet();
        byte[] bytes = store.read(key);
        bytesRead.addAndGet(bytes.length);
        return bytes;
    }

    @Override
    public StoredObject put(String key, byte[] content, Map<String, String> userMetadata) {
        puts.incrementAndGet();
        return store.put(key, content, userMetadata);
    }

    @Override
    public StoredObject put(String key, Path file, Map<String, String> userMetadata) {
        puts.incrementAndGet();
        return store.put(key, file, userMetadata);
    }

    @Override
    public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
        puts.incrementAndGet();
        return store.putIfAbsent(key, file, userMetadata);
    }

    @Override
    public Optional<StoredObject> head(String key) {
        otherRequests.incrementAndGet();
        return store.head(key);
    }

    @Override
    public void download(String key, Path target) {
        gets.incrementAndGet();
        store.download(key, target);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        otherRequests.incrementAndGet();
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        otherRequests.incrementAndGet();
        store.delete(key);
    }

    @Override
    public String bucket() {
        return store.bucket();
    }

    /** Counts the bytes read, and the reading thread's allocation from open to close when one thread does both. */
    private final class Counted extends FilterInputStream {
        private final long thread = Thread.currentThread().getId();
        private final long allocatedAtOpen = allocatedByThisThread();

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int value = in.read();
            if (value >= 0) {
                bytesRead.incrementAndGet();
            }
            return value;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            int n = in.read(target, offset, length);
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (Thread.currentThread().getId() == thread) {
                streamThreadAllocated.addAndGet(allocatedByThisThread() - allocatedAtOpen);
            }
            super.close();
        }
    }
}
