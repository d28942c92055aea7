package io.meshfl.registry.dashboard;

import io.meshfl.registry.dataproduct.DataProductView;
import io.meshfl.registry.domain.DomainView;
import java.util.List;

/** The federation at a glance: its domains, their data products, and the models they train. */
public record FederationOverview(List<DomainRow> domains, List<DataProductView> products, List<ModelRow> models,
                                 List<VerticalModelRow> verticalModels) {

    /** A domain and how much of the federation it takes part in. */
    public record DomainRow(DomainView domain, long products, long models) {
    }

    /** A model with its newest round ({@code round} 0 and state "not started" before round 1). */
    public record ModelRow(String id, String purpose, String strategy, int minDomains, long enrolled, int round,
                           String state) {

        /** The CSS class that colours the state badge (as on the model page's rounds). */
        public String stateClass() {
            return "state-" + state.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        }
    }

    /**
     * A vertical (split-learning) model with its newest round ({@code round} 0 and state "not started" before round
     * 1) and who holds labels and head ({@code governance}: labels shared).
     */
    public record VerticalModelRow(String id, String purpose, int parties, String labelOwner, int round,
                                   String state) {

        public String stateClass() {
            return "state-" + state.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        }
    }

    public long openRounds() {
        return models.stream().filter(m -> m.state().equals("OPEN") || m.state().equals("AGGREGATING")).count()
                + verticalModels.stream().filter(m -> m.state().equals("OPEN")).count();
    }
}
