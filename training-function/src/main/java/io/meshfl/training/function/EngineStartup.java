package io.meshfl.training.function;

import io.meshfl.training.engine.TorchEngine;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Starts libtorch when the function starts, so a broken native setup fails the start, not the first request. */
@Startup
@ApplicationScoped
public class EngineStartup {

    private static final Logger LOG = Logger.getLogger(EngineStartup.class);

    private final TrainingConfig config;

    EngineStartup(TrainingConfig config) {
        this.config = config;
    }

    @PostConstruct
    void start() {
        TorchEngine.Started started = TorchEngine.start(config.workDir(), config.threads());
        LOG.infof("PyTorch engine %s started in %d ms (cache %s)", started.version(),
                started.startTime().toMillis(), started.cacheDir());
    }
}
