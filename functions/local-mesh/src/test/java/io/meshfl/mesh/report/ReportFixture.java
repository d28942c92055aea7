package io.meshfl.mesh.report;

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

    /** The same run with domain-2 poisoned, and a median replay of it. */
    static DemoReport underAttack() {
        return twoRounds(Optional.of(new AttackComparison("domain-2", "median", new Metrics(0.85, 0.4))));
    }

    private static DemoReport twoRounds(Optional<AttackComparison> attack) {
        return new DemoReport("gaussian-mixture", "local", "fedavg", 2, 2,
                new Metrics(0.9, 0.3), new Metrics(0.92, 0.25),
                Map.of("domain-2", new Metrics(0.4, 1.9), "domain-1", new Metrics(0.5, 1.5)),
                List.of(new RoundResult(1, 2, 0, 0.6, 1.0, Map.of("domain-1", 0.7, "domain-2", 0.5), 4.5),
                        new RoundResult(2, 1, 1, 0.9, 0.3, Map.of("domain-1", 0.95, "domain-2", 0.85), 3.25)),
                attack);
    }
}
