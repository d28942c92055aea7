package io.meshfl.core.objectstore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An object store that hands every call to another: the base of the wrappers that change one behaviour (inject a
 * fault, measure the traffic, drop a capability) and leave the rest as it is. {@link #openRange} is forwarded too;
 * a wrapper that wants the interface's whole-object default overrides it with {@link #openRangeByDefault}.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

    private final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    protected ObjectStore delegate() {
        return delegate;
    }

    @Override
    public StoredObject put(String key, byte[] content, Map<String, String> userMetadata) {
        return delegate.put(key, content, userMetadata);
    }

    @Override
    public StoredObject put(String key, Path file, Map<String, String> userMetadata) {
        return delegate.put(key, file, userMetadata);
    }

    @Override
    public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
        return delegate.putIfAbsent(key, file, userMetadata);
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return delegate.head(key);
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public InputStream openRange(String key, long from, long to) {
        return delegate.openRange(key, from, to);
    }

    /** The interface's default ranged read (the whole object, skipped to {@code from}) over this store's open. */
    protected final InputStream openRangeByDefault(String key, long from, long to) {
        return ObjectStore.super.openRange(key, from, to);
    }

    @Override
    public byte[] read(String key) {
        return delegate.read(key);
    }

    @Override
    public void download(String key, Path target) {
        delegate.download(key, target);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public String bucket() {
        return delegate.bucket();
    }
}
