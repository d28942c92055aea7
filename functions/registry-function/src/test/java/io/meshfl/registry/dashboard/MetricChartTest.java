package io.meshfl.registry.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.registry.version.EvaluationView;
import io.meshfl.registry.version.VersionView;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFederationLineWeighsEachDomainByItsHoldOutSize() {
        // Prepare: version 2 (after round 1) evaluated by x (1 example, 0.5) and y (3 examples, 1.0).
        List<VersionView> versions = List.of(version(1, null), version(2, 1,
                evaluation("x", 1, "{\"accuracy\": 0.5}"), evaluation("y", 3, "{\"accuracy\": 1.0}")));

        // Execute
        MetricChart chart = MetricChart.of("accuracy", versions);

        // Assert: (1·0.5 + 3·1.0) / 4 = 0.875; the unevaluated initial model has no point.
        assertThat(chart.labels()).containsExactly("after round 1");
        assertThat(chart.series()).extracting(MetricChart.Series::label)
                .containsExactly(MetricChart.FEDERATION, "x", "y");
        assertThat(chart.series().get(0).values()).containsExactly(0.875);
        assertThat(chart.series().get(1).values()).containsExactly(0.5);
        assertThat(chart.series().get(2).values()).containsExactly(1.0);
        assertThat(chart.federationPoints()).containsExactly(new MetricChart.Point("after round 1", "0.8750"));
    }

    @Test
    void aDomainThatDidNotReportAVersionLeavesAGapInItsLine() {
        List<VersionView> versions = List.of(
                version(1, null, evaluation("x", 10, "{\"loss\": 0.9}")),
                version(2, 1, evaluation("x", 10, "{\"loss\": 0.7}"), evaluation("y", 30, "{\"loss\": 0.3}")));

        MetricChart chart = MetricChart.of("loss", versions);

        // (10·0.7 + 30·0.3) / 40 = 0.4
        assertThat(chart.labels()).containsExactly("initial model", "after round 1");
        assertThat(chart.series().get(0).values()).containsExactly(0.9, 0.4);
        assertThat(chart.series().get(2).label()).isEqualTo("y");
        assertThat(chart.series().get(2).values()).isEqualTo(Arrays.asList(null, 0.3));
    }

    @Test
    void reportsWithoutExamplesCountEquallyAndOtherMetricsAreIgnored() {
        List<VersionView> versions = List.of(version(3, 2,
                evaluation("x", 0, "{\"accuracy\": 0.25}"), evaluation("y", 0, "{\"accuracy\": 0.75}"),
                evaluation("z", 50, "{\"rmse\": 4.0}")));

        MetricChart chart = MetricChart.of("accuracy", versions);

        assertThat(chart.series().get(0).values()).containsExactly(0.5);
        assertThat(chart.series()).extracting(MetricChart.Series::label)
                .containsExactly(MetricChart.FEDERATION, "x", "y");
    }

    @Test
    void aModelNobodyEvaluatedHasAnEmptyChart() {
        MetricChart chart = MetricChart.of("accuracy", List.of(version(1, null)));

        assertThat(chart.isEmpty()).isTrue();
        assertThat(chart.series()).hasSize(1);
        assertThat(chart.series().get(0).values()).isEmpty();
    }

    private static VersionView version(int number, Integer producedBy, EvaluationView... evaluations) {
        return new VersionView(number, "models/m/global/" + number + ".safetensors", null, List.of(), null, producedBy,
                List.of(evaluations));
    }

    private static EvaluationView evaluation(String domain, long examples, String metrics) {
        try {
            return new EvaluationView(1L, domain, examples, JSON.readTree(metrics), false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
