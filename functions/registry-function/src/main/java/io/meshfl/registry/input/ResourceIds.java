package io.meshfl.registry.input;

import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import java.util.regex.Pattern;

/**
 * The one pattern every id of the registry follows: models, domains, data products, and the domains named in
 * bodies and tokens. Ids become object-key segments ({@code models/{m}/rounds/{r}/updates/{domain}.safetensors}),
 * token claims and SQL parameters, so they are lower-case letters, digits, '.', '_' and '-', start with a letter or
 * digit (never "." or ".."), and are at most 63 characters: the same rule as the Terraform modules' model names.
 */
public final class ResourceIds {

    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    public static final String RULE = "must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    private ResourceIds() {
    }

    public static boolean valid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Adds a field error unless {@code id} is absent (required-ness is the caller's rule) or valid. */
    public static void check(String field, String id, FieldErrors errors) {
        if (id != null && !id.isBlank() && !valid(id)) {
            errors.add(field, RULE + ", was '" + printable(id) + "'");
        }
    }

    /** Throws a 400 naming {@code field} unless {@code id} is a valid id. */
    public static String require(String field, String id) {
        if (!valid(id)) {
            throw Problem.invalid(field, id == null || id.isBlank() ? "is required" : RULE + ", was '" + printable(id) + "'");
        }
        return id;
    }

    /** An id as an error message may quote it: control characters escaped, at most 80 characters. */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > 80 ? out + "…" : out.toString();
    }
}
