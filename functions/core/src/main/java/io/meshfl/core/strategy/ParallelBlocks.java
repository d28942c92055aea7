package io.meshfl.core.strategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Computes a model's blocks on all available cores and hands the results to the caller's thread in model order.
 * Aggregation is bound by arithmetic, not by reading the page cache, so a function given two vCPUs aggregates
 * nearly twice as fast; sinks, server state and the running SHA-256 still see one block after another.
 *
 * <p>Each lane owns a workspace (its buffers) for the whole run, so memory stays O(lanes × block).
 */
final class ParallelBlocks {

    /** Fills {@code workspace} with the result for coordinates {@code [from, from + length)}. */
    interface Compute<W> {
        void compute(W workspace, long from, int length) throws IOException;
    }

    /** Consumes a computed block; called on the caller's thread, in increasing {@code from}. */
    interface Emit<W> {
        void emit(W workspace, long from, int length) throws IOException;
    }

    private ParallelBlocks() {
    }

    /** Every core the JVM may use (a Lambda function's vCPUs, a container's CPU limit). */
    static <W> void run(long size, int block, Supplier<W> workspaces, Compute<W> compute, Emit<W> emit)
            throws IOException {
        run(size, block, Runtime.getRuntime().availableProcessors(), workspaces, compute, emit);
    }

    static <W> void run(long size, int block, int threads, Supplier<W> workspaces, Compute<W> compute, Emit<W> emit)
            throws IOException {
        int lanes = (int) Math.max(1, Math.min(threads, (size + block - 1) / block));
        List<W> spaces = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            spaces.add(workspaces.get());
        }
        List<CompletableFuture<Void>> running = new ArrayList<>(lanes);
        for (long stripe = 0; stripe < size; stripe += (long) lanes * block) {
            running.clear();
            // Lanes 1… go to the common pool; lane 0 runs here, so one core needs no other thread at all.
            for (int lane = 1; lane < lanes && stripe + (long) lane * block < size; lane++) {
                long from = stripe + (long) lane * block;
                int length = Blocks.length(from, size, block);
                W space = spaces.get(lane);
                running.add(CompletableFuture.runAsync(() -> computeUnchecked(compute, space, from, length)));
            }
            try {
                compute.compute(spaces.get(0), stripe, Blocks.length(stripe, size, block));
            } finally {
                // Even when this lane failed: no lane may still be reading once the caller closes the readers.
                awaitAll(running);
            }
            for (int lane = 0; lane < lanes && stripe + (long) lane * block < size; lane++) {
                long from = stripe + (long) lane * block;
                emit.emit(spaces.get(lane), from, Blocks.length(from, size, block));
            }
        }
    }

    private static <W> void computeUnchecked(Compute<W> compute, W space, long from, int length) {
        try {
            compute.compute(space, from, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for every lane, then rethrows the first failure. */
    private static void awaitAll(List<CompletableFuture<Void>> running) throws IOException {
        Throwable failure = null;
        for (CompletableFuture<Void> lane : running) {
            try {
                lane.join();
            } catch (CompletionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure instanceof UncheckedIOException io) {
            throw io.getCause();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }
}
