package io.meshfl.registry.dashboard;

import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.version.LineageView;
import io.meshfl.registry.version.VersionView;
import java.util.List;

/**
 * Everything the model page shows; {@code current} and {@code lineage} are the newest global version and where
 * it came from (null before round 1).
 */
public record ModelPage(ModelDefinition model, List<RoundRow> rounds, List<DomainContribution> contributions,
                        List<RejectedUpdate> rejected, List<ChartView> charts, VersionView current,
                        LineageView lineage) {

    /** A chart with its title and its data as JSON for the page's script (charts.js). */
    public record ChartView(String title, MetricChart chart, String json) {
    }

    /** A domain's part in the model: its data product, and its updates over all rounds. */
    public record DomainContribution(String domain, String dataProduct, long accepted, long rejected, long examples,
                                     String latestAccuracy) {
    }

    /** An update the aggregation function or the registry refused, and why. */
    public record RejectedUpdate(int round, String domain, String reason, String registeredAt) {
    }
}
