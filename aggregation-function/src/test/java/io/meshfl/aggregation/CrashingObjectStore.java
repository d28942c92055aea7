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
 * The real S3 store with one fault a test can arm: the next copy out of a model's {@code tmp/} prefix throws, as
 * if the function instance died right after writing its temporary object. Unarmed it only forwards, so the other
 * tests of this module see the plain store.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CrashingObjectStore implements ObjectStore {

    private final S3ObjectStore store;
    private final AtomicReference<String> crashOnCopyFrom = new AtomicReference<>();

    CrashingObjectStore(S3ObjectStore store) {
        this.store = store;
    }

    /** The next copy whose source key starts with {@code models/{model}/tmp/} fails once. */
    void crashOnNextPromotion(String model) {
        crashOnCopyFrom.set("models/" + model + "/tmp/");
    }

    @Override
    public StoredObject copy(String sourceKey, String targetKey) {
        String prefix = crashOnCopyFrom.get();
        if (prefix != null && sourceKey.startsWith(prefix) && crashOnCopyFrom.compareAndSet(prefix, null)) {
            throw new SimulatedCrash("simulated crash before promoting " + sourceKey + " to " + targetKey);
        }
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
