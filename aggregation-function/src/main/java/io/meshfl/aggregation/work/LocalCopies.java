package io.meshfl.aggregation.work;

import io.meshfl.core.objectstore.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One invocation's local copies of objects, in its own scratch directory (deleted on close). An object is
 * downloaded at most once per invocation, so the update and global model read for validation are the ones the
 * aggregation then reads; several objects are downloaded in parallel, since the round's end waits on I/O.
 */
public final class LocalCopies implements AutoCloseable {

    private final ObjectStore store;
    private final ScratchDirectory scratch;
    private final ExecutorService downloads;
    private final Map<String, Path> copies = new HashMap<>();
    private final AtomicLong downloadedBytes = new AtomicLong();
    private int count;

    LocalCopies(ObjectStore store, ScratchDirectory scratch, ExecutorService downloads) {
        this.store = store;
        this.scratch = scratch;
        this.downloads = downloads;
    }

    /** Local copies in a fresh scratch directory under {@code workDir}, downloaded on {@code downloads}. */
    public static LocalCopies under(Path workDir, ObjectStore store, ExecutorService downloads) {
        return new LocalCopies(store, ScratchDirectory.under(workDir), downloads);
    }

    /** The local copy of {@code key}, downloaded now unless this invocation already has it. */
    public Path fetch(String key) {
        return fetchAll(List.of(key)).get(0);
    }

    /** Local copies of {@code keys}, in order; the missing ones are downloaded in parallel. */
    public List<Path> fetchAll(List<String> keys) {
        Map<String, Future<Path>> pending = new HashMap<>();
        for (String key : keys) {
            if (!copies.containsKey(key) && !pending.containsKey(key)) {
                Path target = file("object-" + (count++) + ".safetensors");
                pending.put(key, downloads.submit(() -> {
                    store.download(key, target);
                    downloadedBytes.addAndGet(Files.size(target));
                    return target;
                }));
            }
        }
        for (Map.Entry<String, Future<Path>> download : pending.entrySet()) {
            copies.put(download.getKey(), await(download.getKey(), download.getValue()));
        }
        List<Path> files = new ArrayList<>();
        for (String key : keys) {
            files.add(copies.get(key));
        }
        return files;
    }

    /** Bytes downloaded to scratch so far: what streaming an aggregation saves. */
    public long downloadedBytes() {
        return downloadedBytes.get();
    }

    /** A path for a file this invocation writes (not created). */
    public Path file(String name) {
        return scratch.file(name);
    }

    private static Path await(String key, Future<Path> download) {
        try {
            return download.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Downloading '" + key + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while downloading '" + key + "'", e);
        }
    }

    @Override
    public void close() {
        scratch.close();
    }
}
