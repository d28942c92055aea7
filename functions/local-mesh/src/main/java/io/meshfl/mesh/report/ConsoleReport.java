package io.meshfl.mesh.report;

import io.meshfl.training.evaluate.Metrics;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the demo prints while it runs: one line per round, and the comparison at the end. */
public final class ConsoleReport {

    private ConsoleReport() {
    }

    /**
     * e.g. {@code round  3/10  accepted 4  rejected 0  accuracy 0.8123  [domain-1 0.910, domain-2 0.770]  4.2 s}, with
     * {@code missing [domain-2]} when an expected domain is absent, and {@code FAILED: reason} for a failed round.
     */
    public static String roundLine(RoundResult round, int rounds) {
        String domains = new java.util.TreeMap<>(round.domainAccuracy()).entrySet().stream()
                .map(e -> e.getKey() + " " + format3(e.getValue()))
                .collect(Collectors.joining(", "));
        int width = Integer.toString(rounds).length();
        Participation participation = round.participation();
        String missing = participation.missing().isEmpty() ? "" : "  missing " + participation.missing();
        String failed = "FAILED".equals(participation.outcome()) ? "  FAILED: " + participation.reason() : "";
        return String.format(Locale.ROOT, "round %" + width + "d/%d  accepted %d  rejected %d%s  accuracy %.4f  loss %.4f  [%s]  %.1f s%s",
                round.round(), rounds, round.acceptedCount(), round.rejectedCount(), missing, round.accuracy(),
                round.loss(), domains, round.seconds(), failed);
    }

    /**
     * The comparison the demo exists for, every model on the same hold-out set, with the two acceptance checks
     * spelled out: federated within 2 points of centralised, and above every local-only model.
     */
    public static String comparison(DemoReport report) {
        StringBuilder text = new StringBuilder();
        text.append("Accuracy on the union of the domains' hold-out splits:\n");
        report.attack().ifPresent(attack -> text.append("  (").append(attack.poisonedDomain())
                .append(" sent poisoned updates in every round)\n"));
        text.append(String.format(Locale.ROOT, "  %-32s %.4f  (loss %.4f)%n", "federated (" + report.strategy() + ")",
                report.federated().accuracy(), report.federated().loss()));
        text.append(String.format(Locale.ROOT, "  %-32s %.4f  (loss %.4f)%n", "centralised (pooled data)",
                report.centralized().accuracy(), report.centralized().loss()));
        for (Map.Entry<String, Metrics> local : report.local().entrySet()) {
            text.append(String.format(Locale.ROOT, "  %-32s %.4f  (loss %.4f)%n", "local only: " + local.getKey(),
                    local.getValue().accuracy(), local.getValue().loss()));
        }
        report.attack().ifPresent(attack -> text.append(String.format(Locale.ROOT, "  %-32s %.4f  (loss %.4f)%n",
                "replay with " + attack.replayStrategy() + ", same attack", attack.replay().accuracy(),
                attack.replay().loss())));
        Verdict verdict = report.verdict();
        double gap = verdict.pointsBelowCentralised();
        text.append(String.format(Locale.ROOT, "  federated is %.1f points %s centralised (%s: within %.0f points)%n",
                Math.abs(gap), gap >= 0 ? "below" : "above", verdict.withinOfCentralised() ? "ok" : "NOT met",
                Verdict.TOLERANCE_POINTS));
        text.append(String.format(Locale.ROOT, "  federated vs best local-only model: %+.1f points (%s: above every local model)%n",
                verdict.pointsAboveBestLocal(), verdict.aboveEveryLocal() ? "ok" : "NOT met"));
        report.attack().ifPresent(attack -> text.append("  (under attack these two checks are not expected to hold: ")
                .append(attack.poisonedDomain()).append("'s data never reaches the model; compare with the replay)\n"));
        return text.toString();
    }

    private static String format3(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
