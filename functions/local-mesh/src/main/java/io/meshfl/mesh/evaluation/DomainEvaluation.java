package io.meshfl.mesh.evaluation;

import io.meshfl.training.evaluate.Metrics;
import java.util.Map;

/**
 * A global model measured on every domain's hold-out split (each scaled with its own domain's statistics, as the
 * domain itself would apply the model), and on their union.
 */
public record DomainEvaluation(Metrics union, Map<String, Metrics> domains) {

    public DomainEvaluation {
        domains = Map.copyOf(domains);
    }
}
