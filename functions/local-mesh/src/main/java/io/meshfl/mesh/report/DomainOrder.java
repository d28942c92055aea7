package io.meshfl.mesh.report;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Domain names in the federation's order: {@code domain-2} before {@code domain-10}, other names by text. */
public enum DomainOrder implements Comparator<String> {
    INSTANCE;

    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");

    @Override
    public int compare(String a, String b) {
        Matcher left = NUMBERED.matcher(a);
        Matcher right = NUMBERED.matcher(b);
        if (left.matches() && right.matches() && left.group(1).equals(right.group(1))) {
            return Long.compare(Long.parseLong(left.group(2)), Long.parseLong(right.group(2)));
        }
        return a.compareTo(b);
    }
}
