package io.meshfl.mesh.vertical;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The vertical demo's comparison and where it goes: {@code summary.json} in exactly the shape,
 * {@code {"mode": "vertical", "results": {"centralised": M, "split": M, "splitLabelOwner": M, "local": {"<domain>": M}}}}
 * with {@code M = {"auc", "precision", "recall", "f1"}}, a self-contained {@code report.html}, and the console table.
 *
 * Under {@code --folds} the metrics are the means over the test folds and summary.json gains a {@code folds} section
 * (every model's mean and sd, the paired per-fold differences, each fold's AUCs).
 *
 * @param notes lines describing the run (dataset, alignment, timings) for the HTML page and the console
 * @param folds the cross-validation behind the metrics, or null for one hold-out
 */
public record VerticalResults(BinaryMetrics centralised, BinaryMetrics split, BinaryMetrics splitLabelOwner,
                              Map<String, BinaryMetrics> local, List<String> notes, FoldResults folds) {

    /** One hold-out's comparison. */
    public VerticalResults(BinaryMetrics centralised, BinaryMetrics split, BinaryMetrics splitLabelOwner,
            Map<String, BinaryMetrics> local, List<String> notes) {
        this(centralised, split, splitLabelOwner, local, notes, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Both split configurations reach 99 % of the centralised AUC and at least the best single domain's. */
    public boolean accepted() {
        double bestLocal = local.values().stream().mapToDouble(BinaryMetrics::auc).max().orElse(0);
        return split.auc() >= 0.99 * centralised.auc() && splitLabelOwner.auc() >= 0.99 * centralised.auc()
                && split.auc() >= bestLocal && splitLabelOwner.auc() >= bestLocal;
    }

    public String summaryJson() {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("centralised", metrics(centralised));
        results.put("split", metrics(split));
        results.put("splitLabelOwner", metrics(splitLabelOwner));
        Map<String, Object> locals = new LinkedHashMap<>();
        local.forEach((domain, m) -> locals.put(domain, metrics(m)));
        results.put("local", locals);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("mode", "vertical");
        summary.put("results", results);
        if (folds != null) {
            summary.put("folds", folds.json());
        }
        try {
            return JSON.writeValueAsString(summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String[]> rows() {
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(row("centralised (all columns in one place)", centralised));
        rows.add(row("split, labels shared with governance", split));
        rows.add(row("split, a domain owns labels and head", splitLabelOwner));
        local.forEach((domain, m) -> rows.add(row(domain + " alone", m)));
        return rows;
    }

    public String console() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-40s %7s %9s %7s %7s%n", "model", "AUC",
                "precision", "recall", "F1"));
        for (String[] row : rows()) {
            text.append(String.format(Locale.ROOT, "%-40s %7s %9s %7s %7s%n", (Object[]) row));
        }
        double bestLocal = local.values().stream().mapToDouble(BinaryMetrics::auc).max().orElse(0);
        text.append(String.format(Locale.ROOT, "acceptance: split %.1f %% and %.1f %% of centralised AUC (need ≥ 99 %%),"
                + " best single domain %.4f: %s%n", 100 * split.auc() / centralised.auc(),
                100 * splitLabelOwner.auc() / centralised.auc(), bestLocal, accepted() ? "met" : "NOT met"));
        if (folds != null) {
            folds.lines().forEach(line -> text.append(line).append(System.lineSeparator()));
        }
        return text.toString();
    }

    public String html() {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>MeshFL vertical demo</title>
                <style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}
                td:first-child,th:first-child{text-align:left}</style></head><body>
                <h1>Vertical federated learning: split learning over a private set intersection</h1>
                <table><tr><th>model</th><th>AUC</th><th>precision</th><th>recall</th><th>F1</th></tr>
                """);
        for (String[] row : rows()) {
            html.append("<tr>");
            for (String cell : row) {
                html.append("<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>").append(accepted() ? "Acceptance met" : "Acceptance NOT met")
                .append(": both split configurations ≥ 99 % of the centralised AUC and ≥ the best single domain")
                .append(folds == null ? "" : " (means over the test folds)").append(".</p>\n");
        if (folds != null) {
            html.append("<h2>Cross-validation</h2>\n<p>").append(escape(folds.lines().get(0))).append("</p>\n")
                    .append("<table><tr><th>model</th><th>AUC mean</th><th>AUC sd</th><th>F1 mean</th><th>F1 sd</th>")
                    .append("</tr>\n");
            folds.models().forEach((name, model) -> {
                FoldResults.Spread auc = folds.spread(model, BinaryMetrics::auc);
                FoldResults.Spread f1 = folds.spread(model, BinaryMetrics::f1);
                html.append("<tr><td>").append(escape(name)).append("</td><td>").append(format(auc.mean()))
                        .append("</td><td>").append(format(auc.sd())).append("</td><td>").append(format(f1.mean()))
                        .append("</td><td>").append(format(f1.sd())).append("</td></tr>\n");
            });
            html.append("</table>\n<p>Paired per-fold AUC differences (mean, corrected resampled t 95 % interval,")
                    .append(" Nadeau and Bengio 2003):</p>\n<table><tr><th>difference</th><th>mean</th><th>low</th>")
                    .append("<th>high</th></tr>\n");
            for (FoldResults.Difference d : folds.differences()) {
                html.append("<tr><td>").append(escape(d.a() + " − " + d.b())).append("</td><td>")
                        .append(format(d.mean())).append("</td><td>").append(format(d.low())).append("</td><td>")
                        .append(format(d.high())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        html.append("<ul>");
        notes.forEach(note -> html.append("<li>").append(escape(note)).append("</li>\n"));
        return html.append("</ul></body></html>\n").toString();
    }

    public void write(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve("summary.json"), summaryJson(), StandardCharsets.UTF_8);
            Files.writeString(dataDir.resolve("report.html"), html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the vertical demo's report into " + dataDir, e);
        }
    }

    private static Map<String, Object> metrics(BinaryMetrics m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("auc", m.auc());
        map.put("precision", m.precision());
        map.put("recall", m.recall());
        map.put("f1", m.f1());
        return map;
    }

    private static String[] row(String name, BinaryMetrics m) {
        return new String[] {name, format(m.auc()), format(m.precision()), format(m.recall()), format(m.f1())};
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
