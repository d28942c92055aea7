package io.meshfl.mesh.vertical;

import io.meshfl.mesh.events.BlobCreated;
import io.meshfl.mesh.events.ObjectCreatedListener;
import io.meshfl.vertical.scoring.ScoringKeys;
import io.meshfl.vertical.step.StepKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The vertical demo's event bus: the local S3 server tells it about every object it stores, and it hands each step
 * object's event to the handler a function would run for it (embedding → the head's step, gradient → the party's
 * backward step), one at a time on its own thread, as the functions' triggers would. The demo's driver waits here for
 * the objects that end a round.
 */
final class StepEvents implements ObjectCreatedListener, AutoCloseable {

    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vertical-step-events");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Consumer<StepKeys.StepKey> route = key -> { };
    private volatile Consumer<ScoringKeys.ScoringKey> scoringRoute = key -> { };

    /** Where step events go from now on (the model being trained). */
    void route(Consumer<StepKeys.StepKey> handler) {
        this.route = handler;
    }

    /** Where scoring events go from now on (requests to the parties, their answers to the head). */
    void routeScoring(Consumer<ScoringKeys.ScoringKey> handler) {
        this.scoringRoute = handler;
    }

    @Override
    public void objectCreated(BlobCreated event) {
        created.add(event.key());
        wake();
        StepKeys.parse(event.key()).ifPresent(key -> submit(() -> route.accept(key)));
        ScoringKeys.parse(event.key()).ifPresent(key -> submit(() -> scoringRoute.accept(key)));
    }

    /** Runs {@code work} on the event thread, after the events already queued. */
    void submit(Runnable work) {
        dispatcher.execute(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                wake();
            }
        });
    }

    /** Waits until an object is stored under {@code key}. */
    void await(String key, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        synchronized (this) {
            while (!created.contains(key)) {
                Throwable t = failure.get();
                if (t != null) {
                    throw new IllegalStateException("A vertical step failed: " + t.getMessage(), t);
                }
                if (Instant.now().isAfter(until)) {
                    throw new IllegalStateException("No object '" + key + "' after " + timeout.toSeconds() + " s");
                }
                try {
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for '" + key + "'", e);
                }
            }
        }
    }

    private synchronized void wake() {
        notifyAll();
    }

    @Override
    public void close() {
        dispatcher.shutdownNow();
        try {
            dispatcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
