package io.meshfl.vertical.psi;

import io.meshfl.core.objectstore.NoSuchObjectException;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The object-store port in memory, for unit tests: every put is kept, so a test can inspect all bytes ever stored. */
public final class InMemoryObjectStore implements ObjectStore {

    /** One stored version of an object. */
    public record Entry(byte[] content, Map<String, String> metadata, String etag) {
    }

    private final String bucket;
    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger puts = new AtomicInteger();

    public InMemoryObjectStore(String bucket) {
        this.bucket = bucket;
    }

    public Map<String, Entry> objects() {
        return Map.copyOf(objects);
    }

    /** How many puts were made, including those that rewrote an object with the same bytes. */
    public int puts() {
        return puts.get();
    }

    @Override
    public StoredObject put(String key, byte[] content, Map<String, String> userMetadata) {
        Entry entry = new Entry(content.clone(), Map.copyOf(userMetadata), etag(content));
        objects.put(key, entry);
        puts.incrementAndGet();
        return new StoredObject(key, content.length, entry.etag());
    }

    @Override
    public StoredObject put(String key, Path file, Map<String, String> userMetadata) {
        try {
            return put(key, Files.readAllBytes(file), userMetadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
        try {
            byte[] content = Files.readAllBytes(file);
            Entry entry = new Entry(content, Map.copyOf(userMetadata), etag(content));
            if (objects.putIfAbsent(key, entry) != null) {
                return Optional.empty();
            }
            puts.incrementAndGet();
            return Optional.of(new StoredObject(key, content.length, entry.etag()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return Optional.ofNullable(objects.get(key)).map(e -> new StoredObject(key, e.content().length, e.etag()));
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(read(key));
    }

    @Override
    public byte[] read(String key) {
        Entry entry = objects.get(key);
        if (entry == null) {
            throw new NoSuchObjectException(bucket, key);
        }
        return entry.content().clone();
    }

    @Override
    public void download(String key, Path target) {
        try {
            Files.write(target, read(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return objects.tailMap(prefix).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> new StoredObject(e.getKey(), e.getValue().content().length, e.getValue().etag()))
                .toList();
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public String bucket() {
        return bucket;
    }

    private static String etag(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
