package io.meshfl.vertical.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.objectstore.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * How a vertical round ended, stored once under {@code models/{m}/vrounds/{r}/outcome.json}: {@code COMPLETED} (the
 * head stepped every window) or {@code FAILED} with a reason naming what was missing at the deadline. The first write
 * wins ({@code If-None-Match: *}); a head that completes after a failure was recorded does not un-fail the round.
 *
 * @param window the first window that did not complete (failed rounds), or the number of windows (completed ones)
 * @param missing the parties whose embeddings were missing from that window (failed rounds)
 */
public record RoundOutcome(String model, int round, Status status, int window, List<String> missing, String reason) {

    public enum Status { COMPLETED, FAILED }

    private static final ObjectMapper JSON = new ObjectMapper();

    public RoundOutcome {
        missing = List.copyOf(missing);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** Stores this outcome unless one is there; returns the outcome that is stored afterwards (this or the earlier). */
    RoundOutcome settle(ObjectStore store, String key) {
        try {
            if (WriteOnce.put(store, key, JSON.writeValueAsBytes(this))) {
                return this;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode the outcome of round " + round, e);
        }
        return read(store, key).orElseThrow(() -> new IllegalStateException("'" + key
                + "' was refused as present and is now absent: outcomes are never deleted"));
    }

    public static Optional<RoundOutcome> read(ObjectStore store, String key) {
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(new String(store.read(key), StandardCharsets.UTF_8), RoundOutcome.class));
        } catch (IOException e) {
            throw new UncheckedIOException("'" + key + "' is not a vertical round outcome", e);
        }
    }
}
