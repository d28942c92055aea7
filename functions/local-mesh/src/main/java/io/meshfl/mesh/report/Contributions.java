package io.meshfl.mesh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rounds each domain contributed to: those that closed with its update among the accepted ones (a failed
 * round made no model, so it counts for nobody). Every domain of the run is listed, one that never contributed
 * with no rounds.
 */
public final class Contributions {

    private Contributions() {
    }

    public static Map<String, List<Integer>> of(DemoReport report) {
        TreeSet<String> domains = new TreeSet<>(DomainOrder.INSTANCE);
        domains.addAll(report.local().keySet());
        report.roundResults().forEach(round -> domains.addAll(round.participation().accepted()));
        Map<String, List<Integer>> contributions = new LinkedHashMap<>();
        for (String domain : domains) {
            List<Integer> rounds = new ArrayList<>();
            for (RoundResult round : report.roundResults()) {
                if ("CLOSED".equals(round.participation().outcome())
                        && round.participation().accepted().contains(domain)) {
                    rounds.add(round.round());
                }
            }
            contributions.put(domain, rounds);
        }
        return contributions;
    }
}
