package io.meshfl.mesh.report;

import io.meshfl.training.evaluate.Metrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small finished run, written out by hand so the expected numbers can be checked with a pencil. */
final class ReportFixture {

    private ReportFixture() {
    }

    static DemoReport twoRounds() {
        return twoRounds(Optional.empty());
    }

    /** A classifier's metrics on the common hold-out set, as the demo reports them. */
    static Metrics metrics(double accuracy, double loss) {
        return new Metrics(100, loss, accuracy, null, null);
    }

    /** The same run with domain-2 poisoned, and a median replay of it. */
    static DemoReport underAttack() {
        return twoRounds(Optional.of(new AttackComparison("domain-2", "median", metrics(0.85, 0.4))));
    }

    private static DemoReport twoRounds(Optional<AttackComparison> attack) {
        return new DemoReport("gaussian-mixture", "local", "fedavg", 2, 2,
                metrics(0.9, 0.3), metrics(0.92, 0.25),
                Map.of("domain-2", metrics(0.4, 1.9), "domain-1", metrics(0.5, 1.5)),
                List.of(new RoundResult(1, closed(List.of("domain-1", "domain-2"), List.of(), List.of(), List.of()), 0.6,
                                1.0, Map.of("domain-1", 0.7, "domain-2", 0.5), 4.5),
                        new RoundResult(2, closed(List.of("domain-1"), List.of("domain-2"), List.of(),
                                List.of(new Participation.Rejection("domain-2", "norm 40 > 10"))), 0.9, 0.3,
                                Map.of("domain-1", 0.95, "domain-2", 0.85), 3.25)),
                attack);
    }

    /**
     * Four domains, quorum 3, domain-2 switched off from round 2: round 2 closes at its deadline without it, round 3
     * fails (domain-4 was late too, so only 2 of 3), its retry (round 4) closes with the three others.
     */
    static DemoReport withAnAbsentDomain() {
        Map<String, Double> accuracy = Map.of("domain-1", 0.8, "domain-2", 0.7, "domain-3", 0.75, "domain-4", 0.9);
        return new DemoReport("gaussian-mixture", "local", "fedavg", 4, 4, metrics(0.85, 0.4),
                metrics(0.86, 0.35), Map.of("domain-1", metrics(0.5, 1.5), "domain-2", metrics(0.4, 1.9),
                        "domain-3", metrics(0.45, 1.7), "domain-4", metrics(0.55, 1.4)),
                List.of(new RoundResult(1, closed(List.of("domain-1", "domain-2", "domain-3", "domain-4"), List.of(),
                                List.of(), List.of()), 0.6, 1.0, accuracy, 5.5),
                        new RoundResult(2, closed(List.of("domain-1", "domain-3", "domain-4"), List.of("domain-2"),
                                List.of(), List.of()), 0.7, 0.8, accuracy, 21.0),
                        new RoundResult(3, new Participation("FAILED", "quorum not met: 2 of 3 domains",
                                List.of("domain-1", "domain-3"), List.of("domain-2", "domain-4"), List.of("domain-4"),
                                List.of()), 0.7, 0.8, accuracy, 22.5),
                        new RoundResult(4, closed(List.of("domain-1", "domain-3", "domain-4"), List.of("domain-2"),
                                List.of(), List.of()), 0.85, 0.4, accuracy, 6.0)),
                Optional.empty());
    }

    static Participation closed(List<String> accepted, List<String> missing, List<String> late,
                                List<Participation.Rejection> rejected) {
        return new Participation("CLOSED", null, accepted, missing, late, rejected);
    }
}
