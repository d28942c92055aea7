package io.meshfl.mesh.iam;

import java.util.regex.Pattern;

/**
 * IAM's wildcard matching, as in {@code Action}, {@code Resource} and the {@code …Like} condition operators:
 * {@code *} is any run of characters ({@code /} and {@code :} included), {@code ?} is one character, everything
 * else is literal.
 */
record IamWildcard(String pattern, Pattern regex) {

    static IamWildcard caseSensitive(String pattern) {
        return new IamWildcard(pattern, Pattern.compile(toRegex(pattern), Pattern.DOTALL));
    }

    /** Action names are case-insensitive ({@code s3:getobject} is {@code s3:GetObject}). */
    static IamWildcard caseInsensitive(String pattern) {
        return new IamWildcard(pattern, Pattern.compile(toRegex(pattern),
                Pattern.DOTALL | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    boolean matches(String value) {
        return value != null && regex.matcher(value).matches();
    }

    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
