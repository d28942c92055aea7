package io.meshfl.mesh.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's participation section: per round, how it ended and who was accepted, missing, late or rejected;
 * per domain, the rounds it contributed to.
 */
final class ParticipationTable {

    private ParticipationTable() {
    }

    static void append(StringBuilder html, DemoReport report) {
        html.append("<h2>Participation</h2><table><thead><tr><th>round</th><th>outcome</th><th>accepted</th>")
                .append("<th>missing</th><th>late</th><th>rejected</th><th>seconds</th></tr></thead><tbody>");
        for (RoundResult round : report.roundResults()) {
            Participation participation = round.participation();
            String outcome = participation.outcome() == null ? "" : participation.outcome();
            if (participation.reason() != null) {
                outcome += ": " + participation.reason();
            }
            html.append("<tr><td>").append(round.round()).append("</td><td>").append(Svg.escape(outcome))
                    .append("</td><td>").append(names(participation.accepted()))
                    .append("</td><td>").append(names(participation.missing()))
                    .append("</td><td>").append(names(participation.late()))
                    .append("</td><td>").append(Svg.escape(participation.rejected().stream()
                            .map(rejection -> rejection.domain() + " (" + rejection.reason() + ")")
                            .collect(Collectors.joining(", "))))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", round.seconds()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
        html.append("<table><thead><tr><th>domain</th><th>rounds contributed to</th><th>count</th></tr></thead><tbody>");
        for (Map.Entry<String, List<Integer>> domain : Contributions.of(report).entrySet()) {
            html.append("<tr><td>").append(Svg.escape(domain.getKey())).append("</td><td>")
                    .append(domain.getValue().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append("</td><td>").append(domain.getValue().size()).append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static String names(List<String> domains) {
        return Svg.escape(String.join(", ", domains));
    }
}
