package io.meshfl.mesh.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local mesh's schedule for the aggregation function's sweeper: every period it POSTs {@code {}} to
 * {@code /sweep}, as EventBridge Scheduler or a Knative PingSource does in a deployment, so that rounds past their
 * deadline or with an expired lease end even when no event arrives.
 *
 * <p>A sweep that fails is logged and the next one comes a period later: the sweeper is idempotent, and a missed
 * sweep only delays a round's end. A 404 means the aggregation function has no sweeper (an older build); that is
 * logged at debug level only, since it repeats every period. Sweeps never overlap: the next one is scheduled a
 * period after the previous one answered.
 */
public final class SweepTimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SweepTimer.class);

    private final URI endpoint;
    private final Supplier<String> token;
    private final Duration requestTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService executor;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();

    /**
     * Starts sweeping: the first sweep one period from now.
     *
     * @param endpoint the aggregation function's {@code /sweep}
     * @param token     the {@code function}-role bearer token each sweep shows (asked at every sweep: it may be renewed)
     */
    public static SweepTimer start(URI endpoint, Supplier<String> token, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("The sweep period must be positive, was " + period);
        }
        SweepTimer timer = new SweepTimer(endpoint, token, period);
        timer.executor.scheduleWithFixedDelay(timer::sweep, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer;
    }

    private SweepTimer(URI endpoint, Supplier<String> token, Duration period) {
        this.endpoint = endpoint;
        this.token = token;
        // A sweep that takes longer than a few periods is stuck; the next one will find what it left.
        this.requestTimeout = period.multipliedBy(4).compareTo(Duration.ofSeconds(30)) > 0
                ? period.multipliedBy(4) : Duration.ofSeconds(30);
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sweep-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    private void sweep() {
        attempts.incrementAndGet();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                            .timeout(requestTimeout)
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token.get())
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                answered.incrementAndGet();
                LOG.debug("Sweep: {}", response.body());
            } else if (status == 404) {
                LOG.debug("No sweeper at {} (HTTP 404): rounds end by events only", endpoint);
            } else {
                LOG.warn("Sweep at {} answered HTTP {}: {}", endpoint, status, abbreviate(response.body()));
            }
        } catch (IOException e) {
            // The aggregation function is starting or stopping; the next period tries again.
            LOG.debug("Sweep at {} not delivered: {}", endpoint, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // An exception escaping a scheduled task would cancel every later sweep.
            LOG.warn("Sweep at {} failed", endpoint, e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** Sweeps attempted, answered or not. */
    public long attempts() {
        return attempts.get();
    }

    /** Sweeps the aggregation function answered with a 2xx. */
    public long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "sweep timer for " + endpoint;
    }
}
