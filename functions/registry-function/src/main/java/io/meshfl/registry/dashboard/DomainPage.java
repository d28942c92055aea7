package io.meshfl.registry.dashboard;

import io.meshfl.registry.dataproduct.DataProductView;
import io.meshfl.registry.domain.DomainView;
import java.util.List;

/** A domain: its data products, the models it trains and its latest updates. */
public record DomainPage(DomainView domain, List<DataProductView> products, List<Participation> models,
                         List<UpdateRow> updates) {

    /** The domain's enrolment in a model, and what it contributed to it. */
    public record Participation(String model, String dataProduct, long accepted, long rejected, long examples) {
    }

    /** One of the domain's updates, newest first. */
    public record UpdateRow(String model, int round, String status, long numExamples, String reason,
                            String registeredAt) {
    }
}
