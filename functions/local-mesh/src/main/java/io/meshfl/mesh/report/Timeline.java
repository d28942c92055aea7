package io.meshfl.mesh.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How fast a run got where it got, for comparing synchronous rounds with asynchronous buffers: the wall time of all
 * rounds, the wall time until the global model first reached a target accuracy (by default the run's final accuracy
 * less one point), and the global versions each domain's updates went into (round r makes version r + 1).
 *
 * @param secondsToTarget null if no round reached the target
 * @param roundAtTarget   the first round whose model reached the target, or null
 */
public record Timeline(String aggregation, double wallSeconds, double target, Double secondsToTarget,
                       Integer roundAtTarget, Map<String, List<Integer>> versions) {

    /** One point of accuracy: the acceptance's tolerance between the two modes. */
    public static final double DEFAULT_MARGIN = 0.01;

    public static Timeline of(String aggregation, DemoReport report, Optional<Double> target) {
        List<RoundResult> rounds = report.roundResults();
        double finalAccuracy = rounds.isEmpty() ? report.federated().accuracy()
                : rounds.get(rounds.size() - 1).accuracy();
        double goal = target.orElse(finalAccuracy - DEFAULT_MARGIN);
        double elapsed = 0;
        Double secondsToTarget = null;
        Integer roundAtTarget = null;
        for (RoundResult round : rounds) {
            elapsed += round.seconds();
            if (secondsToTarget == null && round.accuracy() >= goal) {
                secondsToTarget = elapsed;
                roundAtTarget = round.round();
            }
        }
        Map<String, List<Integer>> versions = new LinkedHashMap<>();
        Contributions.of(report).forEach((domain, contributed) ->
                versions.put(domain, contributed.stream().map(round -> round + 1).toList()));
        return new Timeline(aggregation, elapsed, goal, secondsToTarget, roundAtTarget, versions);
    }

    /** The entries summary.json gains. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("aggregation", aggregation);
        json.put("wall_seconds", wallSeconds);
        Map<String, Object> toTarget = new LinkedHashMap<>();
        toTarget.put("target", target);
        toTarget.put("seconds", secondsToTarget);
        toTarget.put("round", roundAtTarget);
        json.put("time_to_accuracy", toTarget);
        json.put("versions_contributed", versions);
        return json;
    }

    /** The paragraph report.html gains. */
    public String html() {
        StringBuilder html = new StringBuilder("<h2>Time to accuracy</h2><p>Aggregation <b>").append(Svg.escape(aggregation))
                .append("</b>: ").append(String.format(Locale.ROOT, "%.1f s", wallSeconds)).append(" of rounds in all; ");
        html.append(secondsToTarget == null
                ? String.format(Locale.ROOT, "accuracy %.4f was never reached", target)
                : String.format(Locale.ROOT, "accuracy %.4f first reached after %.1f s (round %d)", target,
                        secondsToTarget, roundAtTarget));
        html.append(".</p><table><thead><tr><th>domain</th><th>versions its updates went into</th></tr></thead><tbody>");
        versions.forEach((domain, list) -> html.append("<tr><td>").append(Svg.escape(domain)).append("</td><td>")
                .append(list.isEmpty() ? "none" : Svg.escape(list.toString())).append("</td></tr>"));
        return html.append("</tbody></table>").toString();
    }
}
