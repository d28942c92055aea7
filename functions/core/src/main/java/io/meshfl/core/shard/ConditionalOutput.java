package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How every node publishes: compute into scratch files, then store each with a conditional write
 * ({@code If-None-Match: *}). Nodes are deterministic (same inputs, same bits), so whichever of two concurrent
 * invocations wins a key, the object is the same; an invocation that finds all its outputs stored does nothing, and
 * one that crashed before storing them left nothing but scratch files behind.
 */
final class ConditionalOutput {

    /** What a node's invocation did. */
    enum Outcome {
        /** Computed and stored every output that was missing when it started. */
        WRITTEN,
        /** Every output was already stored (a duplicate invocation): nothing read, nothing written. */
        EXISTING,
        /**
         * Computed and stored some of the missing outputs; a concurrent invocation stored the others (same bits). Two
         * invocations that interleave their writes both end here, and between them every output is stored once.
         */
        SHARED,
        /** Computed, but another invocation stored the outputs first: its objects stand. */
        LOST_RACE
    }

    /** Writes the outputs into the given scratch files, in the order of the keys. */
    interface Compute {
        void write(List<Path> files) throws IOException;
    }

    /** The invocation's outcome and the scratch space its files took. */
    record Result(Outcome outcome, long scratchBytes) {
    }

    private ConditionalOutput() {
    }

    static Result publish(ObjectStore store, List<String> keys, Path scratch, Compute compute) throws IOException {
        List<Boolean> stored = keys.stream().map(key -> store.head(key).isPresent()).toList();
        if (!stored.contains(false)) {
            return new Result(Outcome.EXISTING, 0);
        }
        Files.createDirectories(scratch);
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                files.add(Files.createTempFile(scratch, "node-", ".safetensors"));
            }
            compute.write(files);
            long bytes = 0;
            int missing = 0;
            int won = 0;
            for (int i = 0; i < keys.size(); i++) {
                bytes += Files.size(files.get(i));
                // An output an earlier invocation stored before it died (the stitch's state, written before the
                // model) is the same bits: keep it, store the rest in order.
                if (!stored.get(i)) {
                    missing++;
                    won += store.putIfAbsent(keys.get(i), files.get(i), Map.of()).isPresent() ? 1 : 0;
                }
            }
            Outcome outcome = won == missing ? Outcome.WRITTEN : won == 0 ? Outcome.LOST_RACE : Outcome.SHARED;
            return new Result(outcome, bytes);
        } finally {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
