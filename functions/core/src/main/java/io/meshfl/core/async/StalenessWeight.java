package io.meshfl.core.async;

import io.meshfl.core.strategy.InvalidStrategyException;
import java.util.List;

/**
 * How much an update trained {@code s} global versions ago counts in buffered asynchronous aggregation (FedBuff,
 * Nguyen et al., AISTATS 2022, after Xie et al.'s FedAsync): {@code constant} 1; {@code polynomial} (1 + s)^-a;
 * {@code hinge} 1 while s ≤ b, then 1 / (a·(s − b) + 1). The registry checks a model's settings with
 * {@link #of} at registration and the aggregation function weighs with the same object, so the two never disagree.
 *
 * @param a the decay (polynomial, hinge); 0 for constant
 * @param b the staleness up to which the hinge does not discount; 0 otherwise
 */
public record StalenessWeight(String function, double a, double b) {

    public static final String CONSTANT = "constant";
    public static final String POLYNOMIAL = "polynomial";
    public static final String HINGE = "hinge";
    public static final List<String> FUNCTIONS = List.of(CONSTANT, POLYNOMIAL, HINGE);

    /** FedBuff's choice in its experiments: 1/√(1 + s). */
    public static final double DEFAULT_POLYNOMIAL_A = 0.5;
    /** FedAsync's hinge settings. */
    public static final double DEFAULT_HINGE_A = 10;
    public static final double DEFAULT_HINGE_B = 4;

    /** The default when a model's policy names no staleness function. */
    public static StalenessWeight defaults() {
        return new StalenessWeight(POLYNOMIAL, DEFAULT_POLYNOMIAL_A, 0);
    }

    /**
     * Builds the function from a policy's {@code staleness: {function, a, b}}; absent parameters take the defaults.
     *
     * @param at the JSON path of the settings, for the field named in the refusal
     * @throws InvalidStrategyException naming the field that is wrong
     */
    public static StalenessWeight of(String at, String function, Double a, Double b) {
        String name = function == null ? POLYNOMIAL : function;
        switch (name) {
            case CONSTANT -> {
                if (a != null || b != null) {
                    throw new InvalidStrategyException(at + (a != null ? ".a" : ".b"),
                            "the constant staleness function takes no parameters");
                }
                return new StalenessWeight(CONSTANT, 0, 0);
            }
            case POLYNOMIAL -> {
                if (b != null) {
                    throw new InvalidStrategyException(at + ".b", "the polynomial staleness function (1+s)^-a takes "
                            + "only a");
                }
                return new StalenessWeight(POLYNOMIAL, decay(at, a, DEFAULT_POLYNOMIAL_A), 0);
            }
            case HINGE -> {
                double threshold = b == null ? DEFAULT_HINGE_B : b;
                if (!(threshold >= 0) || Double.isInfinite(threshold)) {
                    throw new InvalidStrategyException(at + ".b", "must be a finite number ≥ 0, was " + b);
                }
                return new StalenessWeight(HINGE, decay(at, a, DEFAULT_HINGE_A), threshold);
            }
            default -> throw new InvalidStrategyException(at + ".function", "must be one of " + FUNCTIONS + ", was '"
                    + function + "'");
        }
    }

    private static double decay(String at, Double a, double fallback) {
        double value = a == null ? fallback : a;
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidStrategyException(at + ".a", "must be a positive finite number, was " + a);
        }
        return value;
    }

    /** The weight of an update {@code staleness} versions behind the model it is folded into. */
    public double weight(int staleness) {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness must not be negative, was " + staleness);
        }
        return switch (function) {
            case POLYNOMIAL -> Math.pow(1.0 + staleness, -a);
            case HINGE -> staleness <= b ? 1.0 : 1.0 / (a * (staleness - b) + 1.0);
            default -> 1.0;
        };
    }
}
