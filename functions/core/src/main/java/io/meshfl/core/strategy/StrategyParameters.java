package io.meshfl.core.strategy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;

/** Reads a strategy's parameters from a model definition, with defaults, range checks and unknown-key errors. */
final class StrategyParameters {

    private final String strategy;
    private final Map<String, ? extends Number> values;
    private final Set<String> known = new HashSet<>();

    StrategyParameters(String strategy, Map<String, ? extends Number> values) {
        this.strategy = strategy;
        this.values = values == null ? Map.of() : values;
    }

    double number(String key, double fallback, DoublePredicate valid, String rule) {
        known.add(key);
        Number value = values.get(key);
        if (value == null) {
            return fallback;
        }
        double number = value.doubleValue();
        if (!valid.test(number)) {
            throw invalid(key, "must be " + rule + ", was " + value);
        }
        return number;
    }

    double required(String key, DoublePredicate valid, String rule) {
        if (values.get(key) == null) {
            known.add(key);
            throw invalid(key, "is required (" + rule + ")");
        }
        return number(key, Double.NaN, valid, rule);
    }

    int integer(String key, int fallback, int minimum) {
        double number = number(key, fallback, v -> v >= minimum && v == Math.rint(v) && v <= Integer.MAX_VALUE,
                "an integer ≥ " + minimum);
        return (int) number;
    }

    /** Call after reading every parameter: a key nobody asked for is a typo or a parameter of another strategy. */
    void rejectUnknown() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw invalid(key, "is unknown"
                        + (known.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", new TreeSet<>(known)) + ")"));
            }
        }
    }

    private InvalidStrategyException invalid(String key, String problem) {
        return new InvalidStrategyException("strategy.params." + key,
                "parameter '" + key + "' of strategy '" + strategy + "' " + problem);
    }

    static boolean positive(double v) {
        return v > 0 && Double.isFinite(v);
    }

    static boolean fraction(double v) {
        return v >= 0 && v < 1;
    }
}
