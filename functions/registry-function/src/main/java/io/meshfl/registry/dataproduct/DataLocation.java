package io.meshfl.registry.dataproduct;

import io.meshfl.registry.problem.FieldErrors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a domain may say its data lives. Under the federation's layout every domain owns the key prefix
 * {@code domains/{domain}/} (docs/registry-api.md); a location under another domain's prefix would make the
 * registry hand that domain's rows to this domain's training, so it is refused. Keys are compared as S3 stores
 * them, without normalisation: a location with {@code .} or {@code ..} segments, empty segments, percent-encoded
 * characters or control characters is refused outright, so that no reading of the key lands elsewhere.
 */
final class DataLocation {

    private static final Pattern S3_URL = Pattern.compile("s3://([^/]+)/(.+)");
    private static final Pattern DOMAIN_PREFIX = Pattern.compile("domains/([^/]*)/.*");

    private DataLocation() {
    }

    static void check(String field, String location, String domain, FieldErrors errors) {
        Matcher url = S3_URL.matcher(location);
        if (!url.matches()) {
            return; // the URL's shape is checked where it is parsed
        }
        String key = url.group(2);
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                errors.add(field, "must be a key without empty, '.' or '..' segments, was '" + key + "'");
                return;
            }
        }
        if (key.indexOf('%') >= 0 || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(field, "must be a key without '%' escapes or control characters");
            return;
        }
        Matcher owner = DOMAIN_PREFIX.matcher(key);
        if (owner.matches() && !owner.group(1).equals(domain)) {
            errors.add(field, "lies under domain '" + owner.group(1) + "''s prefix domains/" + owner.group(1)
                    + "/; domain '" + domain + "' may only point at its own data (domains/" + domain + "/…)");
        }
    }
}
