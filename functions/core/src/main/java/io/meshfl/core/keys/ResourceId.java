package io.meshfl.core.keys;

import java.util.regex.Pattern;

/**
 * The one spelling of the ids that appear in object keys, URLs and signed payloads (models, domains, sessions):
 * letters, digits, '.', '_' or '-', at most 63, starting with a letter or digit. Such ids need no encoding, contain
 * no '/' or ':' (so keys and signing payloads stay unambiguous), and "." / ".." can never name a path step.
 */
public final class ResourceId {

    /** The pattern as a regular expression, for the key patterns that embed it. */
    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";

    /** What a valid id looks like, for error messages. */
    public static final String RULE = "letters, digits, '.', '_' or '-', at most 63, starting with a letter or digit";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private ResourceId() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Returns {@code id}, or throws naming {@code what} and the rule. */
    public static String require(String id, String what) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("Invalid " + what + " id '" + id + "': use " + RULE);
        }
        return id;
    }
}
