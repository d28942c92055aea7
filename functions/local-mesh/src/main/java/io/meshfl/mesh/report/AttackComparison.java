package io.meshfl.mesh.report;

import io.meshfl.training.evaluate.Metrics;

/**
 * With {@code --poison}: which domain attacked, and how the same federation did under the same attack when replayed
 * with another strategy (FedAvg when the mesh ran a robust one, a robust one when it ran FedAvg).
 */
public record AttackComparison(String poisonedDomain, String replayStrategy, Metrics replay) {
}
