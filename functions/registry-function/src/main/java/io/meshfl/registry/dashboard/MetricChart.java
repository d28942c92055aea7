package io.meshfl.registry.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.registry.version.EvaluationView;
import io.meshfl.registry.version.VersionView;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One metric (accuracy, loss) of a model's global versions as the domains reported it on their hold-out
 * splits: a point per evaluated version. The first series is the federation's view, the mean over domains
 * weighted by their hold-out sizes; then one series per domain (null where a domain did not report).
 */
public record MetricChart(String metric, List<String> labels, List<Series> series) {

    /** A line of the chart; {@code values} line up with the chart's labels. */
    public record Series(String label, List<Double> values) {
    }

    public static final String FEDERATION = "All domains (weighted by hold-out size)";

    public static MetricChart of(String metric, List<VersionView> versions) {
        List<VersionView> evaluated = versions.stream()
                .filter(version -> version.metrics().stream().anyMatch(e -> has(e, metric)))
                .toList();
        TreeSet<String> domains = new TreeSet<>();
        evaluated.forEach(version -> version.metrics().stream()
                .filter(e -> has(e, metric)).forEach(e -> domains.add(e.domain())));

        List<String> labels = evaluated.stream().map(MetricChart::label).toList();
        List<Series> series = new ArrayList<>();
        series.add(new Series(FEDERATION, evaluated.stream().map(version -> weightedMean(metric, version)).toList()));
        for (String domain : domains) {
            series.add(new Series(domain, evaluated.stream().map(version -> version.metrics().stream()
                    .filter(e -> e.domain().equals(domain) && has(e, metric))
                    .map(e -> e.metrics().get(metric).asDouble())
                    .findFirst().orElse(null)).toList()));
        }
        return new MetricChart(metric, labels, series);
    }

    /** A point of the federation's line, written for the page's table. */
    public record Point(String label, String value) {
    }

    @JsonIgnore
    public boolean isEmpty() {
        return labels.isEmpty();
    }

    /** The first series as (label, value with four decimals): the charts' accessible equivalent. */
    @JsonIgnore
    public List<Point> federationPoints() {
        List<Double> values = series.get(0).values();
        return java.util.stream.IntStream.range(0, labels.size())
                .mapToObj(i -> new Point(labels.get(i), String.format(java.util.Locale.ROOT, "%.4f", values.get(i))))
                .toList();
    }

    /** Version n+1 is what round n produced: readers think in rounds, so the label says which round it is after. */
    static String label(VersionView version) {
        return version.producedByRound() == null ? "initial model" : "after round " + version.producedByRound();
    }

    /**
     * Σ nᵢ·mᵢ / Σ nᵢ over the domains that reported the metric; the plain mean if every report says zero
     * examples (nothing to weigh by).
     */
    static double weightedMean(String metric, VersionView version) {
        List<EvaluationView> reports = version.metrics().stream().filter(e -> has(e, metric)).toList();
        long examples = reports.stream().mapToLong(EvaluationView::numExamples).sum();
        if (examples == 0) {
            return reports.stream().mapToDouble(e -> e.metrics().get(metric).asDouble()).average().orElseThrow();
        }
        return reports.stream().mapToDouble(e -> e.numExamples() * e.metrics().get(metric).asDouble()).sum() / examples;
    }

    private static boolean has(EvaluationView evaluation, String metric) {
        JsonNode value = evaluation.metrics() == null ? null : evaluation.metrics().get(metric);
        return value != null && value.isNumber();
    }
}
