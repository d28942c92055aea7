package io.meshfl.mesh.report;

import io.meshfl.training.evaluate.Metrics;
import java.util.Map;

/**
 * The demo's two acceptance checks, as data: the federated model is within {@value #TOLERANCE_POINTS} accuracy
 * points of the centralised one, and above every local-only model. Points are compared as printed, to 0.1 point
 * (0.92 − 0.90 is 2.0 points, not 2.0000000000000018).
 *
 * @param pointsBelowCentralised centralised minus federated accuracy, in points (negative: federated is better)
 * @param pointsAboveBestLocal federated minus the best local-only accuracy, in points
 */
public record Verdict(double pointsBelowCentralised, double pointsAboveBestLocal, boolean withinOfCentralised,
                      boolean aboveEveryLocal) {

    /** How far below the centralised model the federated one may be. */
    public static final double TOLERANCE_POINTS = 2.0;

    /** The checks {@code --require} can name. */
    public enum Check {
        WITHIN_CENTRALISED("within-centralised"),
        ABOVE_LOCAL("above-local");

        private final String option;

        Check(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    public static Verdict of(Metrics federated, Metrics centralised, Map<String, Metrics> local) {
        double below = points(centralised.accuracy() - federated.accuracy());
        double bestLocal = local.values().stream().mapToDouble(Metrics::accuracy).max().orElse(Double.NaN);
        double above = points(federated.accuracy() - bestLocal);
        return new Verdict(below, above, below <= TOLERANCE_POINTS, above > 0);
    }

    public boolean passed() {
        return withinOfCentralised && aboveEveryLocal;
    }

    public boolean holds(Check check) {
        return switch (check) {
            case WITHIN_CENTRALISED -> withinOfCentralised;
            case ABOVE_LOCAL -> aboveEveryLocal;
        };
    }

    private static double points(double accuracyDifference) {
        return Math.round(accuracyDifference * 1000) / 10.0;
    }
}
