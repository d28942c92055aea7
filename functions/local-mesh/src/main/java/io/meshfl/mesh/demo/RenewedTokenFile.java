package io.meshfl.mesh.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a short-lived token in a 0600 file for a reader outside this process (the aggregation function's
 * MESHFL_REGISTRY_TOKEN_FILE, the operator's governance token): written at start, then rewritten every period with
 * what the token source gives then, so the file always holds a token with time left while the mesh runs. The file
 * is replaced in one step; a reader never sees it empty.
 */
final class RenewedTokenFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RenewedTokenFile.class);

    private final Path file;
    private final Supplier<String> token;
    private final ScheduledExecutorService executor;

    private RenewedTokenFile(Path file, Supplier<String> token) {
        this.file = file;
        this.token = token;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "token-file-renewal");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the file now (a failure here is thrown) and every {@code period} after. */
    static RenewedTokenFile start(Path file, Supplier<String> token, Duration period) {
        RenewedTokenFile renewal = new RenewedTokenFile(file, token);
        renewal.write();
        renewal.executor.scheduleWithFixedDelay(renewal::renew, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return renewal;
    }

    private void write() {
        PrivateFiles.replace(file, token.get() + "\n");
    }

    private void renew() {
        try {
            write();
        } catch (RuntimeException e) {
            // An exception escaping a scheduled task would cancel every later renewal; the next period tries again.
            LOG.warn("Cannot renew the token in {}", file, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "token renewal of " + file;
    }
}
