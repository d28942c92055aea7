package io.meshfl.mesh.report;

import io.meshfl.training.evaluate.Metrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a finished demo run knows: the comparison the paper's argument rests on (federated vs centralised
 * vs each domain alone, all on the same hold-out set) and the rounds that led there.
 *
 * @param mode how the mesh ran: {@code local} (this machine's embedded mesh)
 * @param attack with {@code --poison}: the attacker and the replay under another strategy
 */
public record DemoReport(String dataset, String mode, String strategy, int domains, int rounds, Metrics federated,
                         Metrics centralized, Map<String, Metrics> local, List<RoundResult> roundResults,
                         Optional<AttackComparison> attack) {

    public DemoReport {
        local = new TreeMap<>(local);
        roundResults = List.copyOf(roundResults);
    }

    /** The acceptance checks on these results. */
    public Verdict verdict() {
        return Verdict.of(federated, centralized, local);
    }
}
