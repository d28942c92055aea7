package io.meshfl.aggregation;

import io.meshfl.core.objectstore.ForwardingObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real S3 store with one fault a test can arm: the next publication of a model's global model (or of any key
 * under a given prefix: a node of a sharded round) throws before anything is written, as if the function instance died right after aggregating (its strategy state, written
 * first, is already there). Unarmed it only forwards, so the other tests of this module see the plain store.
 */
@Alternative
@Priority(1)
@Singleton // no client proxy: a forwarding store has no no-argument constructor to proxy through
public class CrashingObjectStore extends ForwardingObjectStore {

    private final AtomicReference<String> crashOnPublishing = new AtomicReference<>();
    private final AtomicReference<String> crashUntilStopped = new AtomicReference<>();

    CrashingObjectStore(S3ObjectStore store) {
        super(store);
    }

    /** The next write of a key under {@code models/{model}/global/} fails once, before anything is stored. */
    void crashOnNextPromotion(String model) {
        crashOnPublishing.set("models/" + model + "/global/");
    }

    /** The next conditional write of a key starting with {@code prefix} fails once, before anything is stored. */
    void crashOnNextWriteUnder(String prefix) {
        crashOnPublishing.set(prefix);
    }

    /** Every conditional write of a key starting with {@code prefix} fails, until {@link #stopCrashing()}. */
    void crashOnEveryWriteUnder(String prefix) {
        crashUntilStopped.set(prefix);
    }

    void stopCrashing() {
        crashUntilStopped.set(null);
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    @Override
    public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
        String prefix = crashOnPublishing.get();
        if (prefix != null && key.startsWith(prefix) && crashOnPublishing.compareAndSet(prefix, null)) {
            throw new SimulatedCrash("simulated crash before publishing " + key);
        }
        String always = crashUntilStopped.get();
        if (always != null && key.startsWith(always)) {
            throw new SimulatedCrash("simulated crash before publishing " + key);
        }
        return super.putIfAbsent(key, file, userMetadata);
    }
}
