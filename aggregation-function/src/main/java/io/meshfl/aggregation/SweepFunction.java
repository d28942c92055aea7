package io.meshfl.aggregation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.aggregation.sweep.RoundSweeper;
import io.meshfl.aggregation.sweep.SweepReport;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/**
 * The scheduled sweeper, exported beside {@code aggregate} from the same build: AWS EventBridge Scheduler invokes it
 * as its own Lambda ({@code QUARKUS_FUNQY_EXPORT=sweep}), a Knative PingSource sends CloudEvents of type
 * {@code dev.knative.sources.ping} (mapped to it in application.properties), the local mesh's timer or anyone may
 * POST /sweep. What the trigger says is ignored: the registry says what is due.
 */
public class SweepFunction {

    @Inject
    RoundSweeper sweeper;

    @Funq("sweep")
    public SweepReport sweep(JsonNode trigger) {
        return sweeper.sweep();
    }
}
