package io.meshfl.core.objectstore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object-store port: the only way MeshFL code touches weights and data products. Keys are relative to one
 * bucket (the federation's, or a domain's own).
 */
public interface ObjectStore {

    /** Stores {@code content} under {@code key}, replacing any previous version. */
    StoredObject put(String key, byte[] content, Map<String, String> userMetadata);

    /** Stores the file's content under {@code key}, streaming it (no whole-file buffer). */
    StoredObject put(String key, Path file, Map<String, String> userMetadata);

    /**
     * Stores the file's content under {@code key} only if no object is there yet, as one atomic step of the store
     * ({@code If-None-Match: *}): of two writers racing for the same key exactly one succeeds. Empty if an object
     * was already there (or another writer's upload of it is in progress); nothing is replaced then.
     */
    Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata);

    /** The object's size and ETag, or empty if there is no object under {@code key}. */
    Optional<StoredObject> head(String key);

    /** Opens the object's content; the caller closes the stream. */
    InputStream open(String key);

    /**
     * Opens bytes {@code [from, to)} of the object (a ranged GET); the caller closes the stream. This default reads
     * the whole object and skips to {@code from}: what a server that ignores the Range header amounts to, so every
     * store gives the same bytes, only the fast ones send fewer.
     */
    default InputStream openRange(String key, long from, long to) {
        InputStream whole = open(key);
        try {
            whole.skipNBytes(from);
            return new ByteRangeStream(whole, to - from);
        } catch (java.io.IOException e) {
            ByteRangeStream.closeQuietly(whole);
            throw new java.io.UncheckedIOException("Could not skip to byte " + from + " of '" + key + "'", e);
        }
    }

    /** Reads the whole object into memory: for small objects (descriptors, manifests, state). */
    byte[] read(String key);

    /** Streams the object into {@code target}, replacing it. */
    void download(String key, Path target);

    /** Objects whose key starts with {@code prefix}, in key order. */
    List<StoredObject> list(String prefix);

    void delete(String key);

    /** Name of the bucket this store writes to, as object-store events name it. */
    String bucket();
}
