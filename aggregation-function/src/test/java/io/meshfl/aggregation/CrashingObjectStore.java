package io.meshfl.aggregation;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real S3 store with one fault a test can arm: the next publication of a model's global model throws before
 * anything is written, as if the function instance died right after aggregating (its strategy state, written
 * first, is already there). Unarmed it only forwards, so the other tests of this module see the plain store.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CrashingObjectStore implements ObjectStore {

    private final S3ObjectStore store;
    private final AtomicReference<String> crashOnPublishing = new AtomicReference<>();

    CrashingObjectStore(S3ObjectStore store) {
        this.store = store;
    }

    /** The next write of a key under {@code models/{model}/global/} fails once, before anything is stored. */
    void crashOnNextPromotion(String model) {
        crashOnPublishing.set("models/" + model + "/global/");
    }

    @Override
    public StoredObject copy(String sourceKey, String targetKey) {
        return store.copy(sourceKey, targetKey);
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    @Override
    public StoredObject put(String key, byte[] content, Map<String, String> userMetadata) {
        return store.put(key, content, userMetadata);
    }

    @Override
    public StoredObject put(String key, Path file, Map<String, String> userMetadata) {
        return store.put(key, file, userMetadata);
    }

    @Override
    public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
        String prefix = crashOnPublishing.get();
        if (prefix != null && key.startsWith(prefix) && crashOnPublishing.compareAndSet(prefix, null)) {
            throw new SimulatedCrash("simulated crash before publishing " + key);
        }
        return store.putIfAbsent(key, file, userMetadata);
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return store.head(key);
    }

    @Override
    public InputStream open(String key) {
        return store.open(key);
    }

    @Override
    public InputStream openRange(String key, long from, long to) {
        return store.openRange(key, from, to);
    }

    @Override
    public byte[] read(String key) {
        return store.read(key);
    }

    @Override
    public void download(String key, Path target) {
        store.download(key, target);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public String bucket() {
        return store.bucket();
    }
}
