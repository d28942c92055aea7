package io.meshfl.mesh.report;

import io.meshfl.training.evaluate.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code DATA_DIR/report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched) that
 * opens from disk anywhere: the final comparison, global accuracy and loss per round, per-domain accuracy,
 * accepted and rejected updates, and round latency.
 */
public final class HtmlReport {

    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    public String render(DemoReport report) {
        return render(report, null);
    }

    /** With a {@link Timeline}: its section follows the round charts. */
    public String render(DemoReport report, Timeline timeline) {
        List<RoundResult> rounds = report.roundResults();
        List<Integer> xs = rounds.stream().map(RoundResult::round).toList();
        StringBuilder html = new StringBuilder();
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>MeshFL demo report</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1340px;color:#222;padding:0 1rem}
                h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}
                table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3rem .8rem;text-align:right}
                th:first-child,td:first-child{text-align:left}
                .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1rem}
                .chart{width:100%;height:auto;background:#fff;border:1px solid #eee}
                .note{color:#666;font-size:.9rem}
                </style></head><body>
                """);
        html.append("<h1>MeshFL demo: ").append(Svg.escape(report.dataset())).append("</h1>");
        html.append("<p>").append(report.domains()).append(" domains, ").append(report.rounds()).append(" rounds, strategy <b>")
                .append(Svg.escape(report.strategy())).append("</b>, mode ").append(Svg.escape(report.mode()));
        report.attack().ifPresent(attack -> html.append(", <b>").append(Svg.escape(attack.poisonedDomain()))
                .append("</b> sends poisoned (scaled, sign-flipped) updates"));
        html.append(".</p>");
        comparison(html, report);
        html.append("<h2>Rounds</h2><div class=\"charts\">");
        html.append(new LineChart("Global model accuracy per round", "accuracy", xs,
                List.of(new Series("accuracy", PALETTE[0], rounds.stream().map(RoundResult::accuracy).toList())), 0, 1).svg());
        html.append(new LineChart("Global model loss per round", "loss", xs,
                List.of(new Series("loss", PALETTE[1], rounds.stream().map(RoundResult::loss).toList())), 0,
                max(rounds.stream().map(RoundResult::loss).toList()) * 1.1).svg());
        html.append(new LineChart("Global model accuracy on each domain's hold-out split", "accuracy", xs,
                domainSeries(rounds), 0, 1).svg());
        html.append(new BarChart("Updates accepted and rejected per round", "updates",
                xs.stream().map(String::valueOf).toList(),
                List.of(new Series("accepted", PALETTE[2], rounds.stream().map(r -> (double) r.acceptedCount()).toList()),
                        new Series("rejected", PALETTE[3], rounds.stream().map(r -> (double) r.rejectedCount()).toList())),
                Math.max(1, rounds.stream().mapToInt(r -> Math.max(r.acceptedCount(), r.rejectedCount())).max().orElse(1))).svg());
        html.append(new LineChart("Round latency", "seconds", xs,
                List.of(new Series("seconds", PALETTE[4], rounds.stream().map(RoundResult::seconds).toList())), 0,
                max(rounds.stream().map(RoundResult::seconds).toList()) * 1.1).svg());
        html.append("</div>");
        if (timeline != null) {
            html.append(timeline.html());
        }
        ParticipationTable.append(html, report);
        html.append("<p class=\"note\">Every accuracy in the comparison is measured on the same test set: the union of"
                + " all domains' hold-out splits, which no model was trained on.</p>");
        return html.append("</body></html>\n").toString();
    }

    public void write(DemoReport report, Path file) {
        write(report, null, file);
    }

    public void write(DemoReport report, Timeline timeline, Path file) {
        try {
            Files.writeString(file, render(report, timeline), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static void comparison(StringBuilder html, DemoReport report) {
        html.append("<h2>Federated vs centralised vs each domain alone</h2><table><thead><tr><th>model</th>")
                .append("<th>accuracy</th><th>loss</th></tr></thead><tbody>");
        row(html, "federated (" + report.strategy() + ")", report.federated());
        row(html, "centralised (all data pooled)", report.centralized());
        report.attack().ifPresent(attack -> row(html, "replay with " + attack.replayStrategy() + ", same attack",
                attack.replay()));
        report.local().forEach((domain, metrics) -> row(html, "local only: " + domain, metrics));
        html.append("</tbody></table>");
        List<String> categories = new ArrayList<>(List.of("federated", "centralised"));
        List<Double> accuracies = new ArrayList<>(List.of(report.federated().accuracy(), report.centralized().accuracy()));
        report.attack().ifPresent(attack -> {
            categories.add(attack.replayStrategy() + " replay");
            accuracies.add(attack.replay().accuracy());
        });
        report.local().forEach((domain, metrics) -> {
            categories.add(domain);
            accuracies.add(metrics.accuracy());
        });
        html.append("<div class=\"charts\">").append(new BarChart("Accuracy on the common hold-out set", "accuracy",
                categories, List.of(new Series("accuracy", PALETTE[0], accuracies)), 1).svg()).append("</div>");
    }

    private static void row(StringBuilder html, String name, Metrics metrics) {
        html.append("<tr><td>").append(Svg.escape(name)).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.4f", metrics.accuracy())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.4f", metrics.loss())).append("</td></tr>");
    }

    private static List<Series> domainSeries(List<RoundResult> rounds) {
        TreeSet<String> domains = new TreeSet<>();
        rounds.forEach(r -> domains.addAll(r.domainAccuracy().keySet()));
        List<Series> series = new ArrayList<>();
        int colour = 0;
        for (String domain : domains) {
            List<Double> values = rounds.stream()
                    .map(RoundResult::domainAccuracy)
                    .map((Map<String, Double> accuracy) -> accuracy.getOrDefault(domain, Double.NaN))
                    .toList();
            series.add(new Series(domain, PALETTE[colour++ % PALETTE.length], values));
        }
        return series;
    }

    private static double max(List<Double> values) {
        return values.stream().filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).max().orElse(1);
    }
}
