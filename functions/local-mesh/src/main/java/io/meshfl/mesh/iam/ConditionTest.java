package io.meshfl.mesh.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One key of one condition operator, e.g. {@code "StringLike": {"s3:prefix": ["models/*"]}}, with IAM's rules
 * for a key the request does not carry: a matching operator is false, a negated one ({@code …Not…}) is true, an
 * {@code …IfExists} form is true, and {@code Null} tests presence itself. Several values of one key are ORed
 * (NORed for a negated operator).
 */
record ConditionTest(String operator, String key, List<String> values) {

    /** The operators the federation's documents use, and their close relatives; anything else is refused at load. */
    static final Set<String> OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike",
            "ArnNotLike", "Bool", "Null");

    ConditionTest {
        values = List.copyOf(values);
        String base = baseOperator(operator);
        if (!OPERATORS.contains(base) || (base.equals("Null") && operator.endsWith("IfExists"))) {
            throw new IllegalArgumentException("condition operator " + operator + " is not implemented by the local"
                    + " mesh's IAM evaluator (it knows " + String.join(", ", OPERATORS.stream().sorted().toList())
                    + " and their …IfExists forms)");
        }
    }

    boolean holds(Map<String, String> context) {
        String base = baseOperator(operator);
        String actual = context.get(key);
        if (base.equals("Null")) {
            boolean wantsMissing = values.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            return wantsMissing == (actual == null);
        }
        boolean negated = base.contains("Not");
        if (actual == null) {
            return operator.endsWith("IfExists") || negated;
        }
        boolean anyMatches = values.stream().anyMatch(value -> matches(base, value, actual));
        return negated != anyMatches;
    }

    private static boolean matches(String base, String expected, String actual) {
        return switch (base) {
            case "StringEquals", "StringNotEquals" -> expected.equals(actual);
            case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" ->
                    expected.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
            // IAM checks ARN patterns component by component; a whole-string glob differs only where a '*' would
            // span a ':', which none of the federation's ARNs do.
            case "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike" ->
                    IamWildcard.caseSensitive(expected).matches(actual);
            case "Bool" -> expected.equalsIgnoreCase(actual);
            default -> throw new IllegalStateException("unreachable: " + base);
        };
    }

    private static String baseOperator(String operator) {
        return operator.endsWith("IfExists") ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
    }

    @Override
    public String toString() {
        return operator + " " + key + " " + values;
    }
}
