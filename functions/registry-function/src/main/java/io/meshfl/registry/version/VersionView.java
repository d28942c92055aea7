package io.meshfl.registry.version;

import java.util.List;

/**
 * A global model version: {@code round} is the n of {@code global/{n}}, the round that trains from it (version
 * 1 is the initial model; version n+1 comes from round n); {@code metrics} are the domains' evaluations of it.
 */
public record VersionView(int round, String key, String checksum, List<String> aggregatedFrom, String strategyStateKey,
                          Integer producedByRound, List<EvaluationView> metrics) {
}
