package io.meshfl.mesh.events;

import io.meshfl.core.event.S3NotificationWriter;
import io.meshfl.core.keys.ObjectKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers AWS S3 object-created notifications for weight updates, and for the objects of a sharded round's tree
 * (each runs the tree node it completes), to the aggregation function over HTTP, as S3 event notifications do in a
 * cloud deployment (the local S3 server has no notifications of its own).
 *
 * <p>At least once: an event is retried with exponential backoff on a connection failure, a timeout, 408, 429
 * or any 5xx, until it is delivered or its attempts run out; the aggregator is idempotent on (key, ETag), so
 * duplicates are harmless. A 401 or 403 is not retried (the token is wrong, and will be at the next attempt too). An
 * event that cannot be delivered is appended to the dead-letter file rather than
 * silently lost. At most {@code capacity} events are in flight: beyond that the S3 PUT that created the object
 * waits, which slows writers down instead of dropping events.
 */
public final class EventBridge implements ObjectCreatedListener, AutoCloseable {

    /** How the bridge delivers. */
    public record Settings(URI endpoint, String region, int capacity, int maxAttempts, Duration initialBackoff,
                           Duration maxBackoff, Duration requestTimeout, Path deadLetterFile) {

        /** Defaults for the local mesh: about a minute of retries per event. */
        public static Settings defaults(URI endpoint, String region, Path deadLetterFile) {
            return new Settings(endpoint, region, 1_000, 10, Duration.ofMillis(200), Duration.ofSeconds(15),
                    Duration.ofMinutes(5), deadLetterFile);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventBridge.class);

    private final Settings settings;
    private final Supplier<String> token;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final Semaphore inFlight;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param token the {@code function}-role bearer token each delivery shows the aggregation function (asked at every
     *              attempt, so a short-lived token renewed by its source is never sent expired)
     */
    public EventBridge(Settings settings, Supplier<String> token) {
        this.settings = settings;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.executor = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "event-bridge");
            thread.setDaemon(true);
            return thread;
        });
        this.inFlight = new Semaphore(settings.capacity());
    }

    @Override
    public void objectCreated(BlobCreated event) {
        // What the Terraform modules route to the aggregation function: update keys and a sharded round's tree objects.
        if (!ObjectKeys.inUpdatesFolder(event.key()) && !ObjectKeys.inAggregationTree(event.key())) {
            return;
        }
        if (closed) {
            deadLetter(event, "the event bridge was stopping");
            return;
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deadLetter(event, "interrupted while waiting for room in the event queue");
            return;
        }
        String body = S3NotificationWriter.json(event.object(), event.eventName(), event.time(), settings.region(),
                sequence.incrementAndGet());
        executor.execute(() -> attempt(event, body, 1));
    }

    private void attempt(BlobCreated event, String body, int attempt) {
        attempts.incrementAndGet();
        String failure;
        boolean retryable;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.endpoint())
                            .timeout(settings.requestTimeout())
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token.get())
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                delivered.incrementAndGet();
                inFlight.release();
                return;
            }
            failure = "HTTP " + status + ": " + abbreviate(response.body());
            retryable = status >= 500 || status == 408 || status == 429;
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            retryable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
            retryable = false;
        }
        if (retryable && attempt < settings.maxAttempts() && !executor.isShutdown()) {
            long delay = backoff(attempt).toMillis();
            LOG.debug("Event for {} not delivered (attempt {}: {}); retrying in {} ms", event.key(), attempt, failure, delay);
            executor.schedule(() -> attempt(event, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
            return;
        }
        deadLetter(event, "after " + attempt + " attempt(s): " + failure);
        inFlight.release();
    }

    /** initial · 2^(attempt − 1), capped. */
    Duration backoff(int attempt) {
        long factor = 1L << Math.min(30, attempt - 1);
        Duration delay = settings.initialBackoff().multipliedBy(factor);
        return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
    }

    private void deadLetter(BlobCreated event, String reason) {
        deadLettered.incrementAndGet();
        LOG.error("Event for s3://{}/{} (ETag {}) was NOT delivered to {} {}; recorded in {}", event.bucket(),
                event.key(), event.etag(), settings.endpoint(), reason, settings.deadLetterFile());
        String line = S3NotificationWriter.json(event.object(), event.eventName(), event.time(), settings.region(),
                sequence.incrementAndGet()) + "\n";
        try {
            Files.createDirectories(settings.deadLetterFile().toAbsolutePath().getParent());
            Files.writeString(settings.deadLetterFile(), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.error("Cannot write the dead-letter file {}", settings.deadLetterFile(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** Events acknowledged with a 2xx. */
    public long delivered() {
        return delivered.get();
    }

    /** HTTP attempts made, successful or not. */
    public long attempts() {
        return attempts.get();
    }

    /** Events given up on (and written to the dead-letter file). */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Waits until no event is in flight; false if that did not happen within {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (!inFlight.tryAcquire(settings.capacity(), timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        inFlight.release(settings.capacity());
        return true;
    }

    /** Stops taking events, gives those in flight a few seconds, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            if (!awaitIdle(Duration.ofSeconds(10))) {
                LOG.warn("Stopping the event bridge with events still in flight; they are not delivered");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
