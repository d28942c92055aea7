package io.meshfl.aggregation.work;

import io.meshfl.aggregation.AggregationConfig;
import io.meshfl.core.objectstore.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens each invocation's {@link LocalCopies}; owns the download threads all invocations of an instance share. */
@ApplicationScoped
public class LocalCopiesFactory {

    private final ObjectStore store;
    private final AggregationConfig config;
    private final ExecutorService downloads;

    LocalCopiesFactory(ObjectStore store, AggregationConfig config) {
        this.store = store;
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        this.downloads = Executors.newFixedThreadPool(config.parallelDownloads(), task -> {
            Thread thread = new Thread(task, "meshfl-download-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public LocalCopies open() {
        return new LocalCopies(store, ScratchDirectory.under(config.workDir()), downloads);
    }

    @PreDestroy
    void stop() {
        downloads.shutdownNow();
    }
}
