package io.meshfl.mesh.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshfl.training.evaluate.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DATA_DIR/summary.json}, in exactly the shape the issue fixes:
 * {@code {dataset, mode, strategy, domains, rounds, federated{accuracy, loss}, centralized{accuracy, loss},
 * local{<domain>{accuracy, loss}}, rounds_detail[{round, outcome, reason, accepted[domain], missing[domain],
 * late[domain], rejected[{domain, reason}], accuracy, seconds}], contributions{<domain>[round]},
 * verdict{withinOfCentralised, aboveEveryLocal, passed, pointsBelowCentralised, pointsAboveBestLocal,
 * tolerancePoints}}}, and with
 * {@code --poison} one more entry, {@code poisoned{domain, replay{strategy, accuracy, loss}}}: the same rounds under
 * the same attack, aggregated with the other kind of strategy.
 */
public final class SummaryJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String render(DemoReport report) {
        return render(report, null);
    }

    /** With a {@link Timeline}: its entries (aggregation, wall time, time to accuracy, versions) follow the rest. */
    public String render(DemoReport report, Timeline timeline) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dataset", report.dataset());
        summary.put("mode", report.mode());
        summary.put("strategy", report.strategy());
        summary.put("domains", report.domains());
        summary.put("rounds", report.rounds());
        summary.put("federated", metrics(report.federated()));
        summary.put("centralized", metrics(report.centralized()));
        Map<String, Object> local = new LinkedHashMap<>();
        report.local().forEach((domain, metrics) -> local.put(domain, metrics(metrics)));
        summary.put("local", local);
        List<Map<String, Object>> rounds = report.roundResults().stream().map(SummaryJson::round).toList();
        summary.put("rounds_detail", rounds);
        summary.put("contributions", Contributions.of(report));
        Verdict verdict = report.verdict();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("withinOfCentralised", verdict.withinOfCentralised());
        checks.put("aboveEveryLocal", verdict.aboveEveryLocal());
        checks.put("passed", verdict.passed());
        checks.put("pointsBelowCentralised", verdict.pointsBelowCentralised());
        checks.put("pointsAboveBestLocal", verdict.pointsAboveBestLocal());
        checks.put("tolerancePoints", Verdict.TOLERANCE_POINTS);
        summary.put("verdict", checks);
        report.attack().ifPresent(attack -> {
            Map<String, Object> replay = new LinkedHashMap<>();
            replay.put("strategy", attack.replayStrategy());
            replay.putAll(metrics(attack.replay()));
            Map<String, Object> poisoned = new LinkedHashMap<>();
            poisoned.put("domain", attack.poisonedDomain());
            poisoned.put("replay", replay);
            summary.put("poisoned", poisoned);
        });
        if (timeline != null) {
            summary.putAll(timeline.json());
        }
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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

    private static Map<String, Object> metrics(Metrics metrics) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("accuracy", metrics.accuracy());
        map.put("loss", metrics.loss());
        return map;
    }

    private static Map<String, Object> round(RoundResult round) {
        Map<String, Object> map = new LinkedHashMap<>();
        Participation participation = round.participation();
        map.put("round", round.round());
        map.put("outcome", participation.outcome());
        map.put("reason", participation.reason());
        map.put("accepted", participation.accepted());
        map.put("missing", participation.missing());
        map.put("late", participation.late());
        map.put("rejected", participation.rejected().stream().map(rejection -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("domain", rejection.domain());
            entry.put("reason", rejection.reason());
            return entry;
        }).toList());
        map.put("accuracy", round.accuracy());
        map.put("seconds", round.seconds());
        return map;
    }
}
