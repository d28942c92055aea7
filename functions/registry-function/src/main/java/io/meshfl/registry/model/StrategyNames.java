package io.meshfl.registry.model;

import java.util.Set;

/** The strategies the core aggregation library implements (issue 3); a model naming another is refused. */
public final class StrategyNames {

    public static final Set<String> KNOWN = Set.of("fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad", "median",
            "trimmed-mean", "krum", "multi-krum", "dp-fedavg");

    private StrategyNames() {
    }
}
