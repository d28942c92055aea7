package io.meshfl.aggregation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one invocation spent its time, by phase: the latency breakdown the function reports with every event
 * (and the benchmark prints). One instance per invocation, used by one thread.
 */
public final class PhaseTimes {

    public enum Phase {
        /** Downloading updates, the global model and strategy state from the object store. */
        READ,
        /** Core's update validator: format, identity, hash, signature, values, norm. */
        VALIDATE,
        /** The strategy's pass over the accepted updates. */
        AGGREGATE,
        /** Publishing the new global model and strategy state. */
        WRITE,
        /** Calls to the registry. */
        REGISTRY
    }

    /** Work that may fail with an I/O error. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);

    public <T> T time(Phase phase, Work<T> work) {
        long start = System.nanoTime();
        try {
            return work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            nanos.merge(phase, System.nanoTime() - start, Long::sum);
        }
    }

    public void time(Phase phase, Runnable work) {
        time(phase, () -> {
            work.run();
            return null;
        });
    }

    /** Milliseconds per phase that took any time, in phase order. */
    public Map<String, Double> millis() {
        Map<String, Double> millis = new LinkedHashMap<>();
        nanos.forEach((phase, n) -> millis.put(phase.name().toLowerCase(java.util.Locale.ROOT), n / 1e6));
        return millis;
    }
}
