package io.meshfl.core.strategy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Computes a model's blocks on all available cores and emits them in model order. Aggregation is bound by
 * arithmetic, not by reading the page cache, so a function given two vCPUs aggregates nearly twice as fast.
 *
 * <p>Lane {@code j} of {@code n} computes blocks {@code j, j + n, j + 2n, …}; after computing a block it waits for
 * its turn, emits it, and passes the turn on. So emitting (writing, hashing) one block overlaps with computing the
 * next ones, and sinks, server state and the running SHA-256 still see one block after another, never two at once.
 * Lane 0 is the caller's thread; the others get threads of their own for the run (not a shared pool, whose tasks
 * would wait on each other's turns). Each lane owns a workspace, so memory stays O(lanes × block).
 */
final class ParallelBlocks {

    /** Fills {@code workspace} with the result for coordinates {@code [from, from + length)}. */
    interface Compute<W> {
        void compute(W workspace, long from, int length) throws IOException;
    }

    /** Consumes a computed block: called in increasing {@code from}, one call at a time. */
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
        long blocks = (size + block - 1) / block;
        int lanes = (int) Math.max(1, Math.min(threads, blocks));
        Turns turns = new Turns();
        List<Lane<W>> all = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            all.add(new Lane<>(lane, lanes, blocks, block, size, workspaces.get(), compute, emit, turns));
        }
        List<Thread> threadsStarted = new ArrayList<>(lanes - 1);
        for (Lane<W> lane : all.subList(1, lanes)) {
            Thread thread = new Thread(lane, "meshfl-aggregation-lane-" + lane.index);
            thread.setDaemon(true);
            thread.start();
            threadsStarted.add(thread);
        }
        all.get(0).run();
        // No lane may still be reading once the caller closes the readers, even after a failure.
        boolean interrupted = false;
        for (Thread thread : threadsStarted) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    turns.fail();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        turns.rethrow();
    }

    /** One lane's share of the blocks, run on its own thread. */
    private record Lane<W>(int index, int lanes, long blocks, int block, long size, W workspace, Compute<W> compute,
                           Emit<W> emit, Turns turns) implements Runnable {

        @Override
        public void run() {
            try {
                for (long b = index; b < blocks; b += lanes) {
                    long from = b * block;
                    int length = Blocks.length(from, size, block);
                    compute.compute(workspace, from, length);
                    if (!turns.await(b)) {
                        return; // another lane failed
                    }
                    emit.emit(workspace, from, length);
                    turns.pass();
                }
            } catch (IOException | RuntimeException | Error e) {
                turns.fail(e);
            }
        }
    }

    /** Whose turn it is to emit, and the first failure of any lane. */
    private static final class Turns {
        private long next;
        private Throwable failure;
        private boolean failed;

        /** Waits until block {@code turn} may be emitted; false if the run failed meanwhile. */
        synchronized boolean await(long turn) throws InterruptedIOException {
            while (next != turn && !failed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while aggregating block " + turn);
                }
            }
            return !failed;
        }

        synchronized void pass() {
            next++;
            notifyAll();
        }

        synchronized void fail(Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            fail();
        }

        synchronized void fail() {
            failed = true;
            notifyAll();
        }

        synchronized void rethrow() throws IOException {
            if (failure instanceof IOException io) {
                throw io;
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
            if (failed) {
                throw new InterruptedIOException("interrupted while aggregating");
            }
        }
    }
}
