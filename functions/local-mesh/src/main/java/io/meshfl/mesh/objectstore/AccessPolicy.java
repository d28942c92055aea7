package io.meshfl.mesh.objectstore;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What one identity of the local S3 server may do, the local twin of the IAM policies in
 * {@code infra/terraform/modules/policies}: object keys are matched with IAM's wildcard ({@code *} spans {@code /}),
 * listing is allowed under prefixes, and only an administrator may touch the bucket itself.
 */
public record AccessPolicy(String principal, List<String> read, List<String> write, List<String> delete,
                           List<String> listPrefixes, boolean administers) {

    public AccessPolicy {
        read = List.copyOf(read);
        write = List.copyOf(write);
        delete = List.copyOf(delete);
        listPrefixes = List.copyOf(listPrefixes);
    }

    /** The federation's governance (the demo itself): everything, like the bucket owner. */
    public static AccessPolicy governance() {
        return new AccessPolicy("governance", List.of("*"), List.of("*"), List.of("*"), List.of(""), true);
    }

    /** The aggregation function: reads updates and models, writes global models, server state and scratch. */
    public static AccessPolicy aggregation() {
        return new AccessPolicy("aggregation", List.of("models/*"),
                List.of("models/*/global/*", "models/*/state/*", "models/*/tmp/*"), List.of("models/*/tmp/*"),
                List.of("models/"), false);
    }

    /**
     * A domain: its own data products, the global models, and its own update slot in every round, nothing else;
     * in particular not another domain's update key.
     */
    public static AccessPolicy domain(String domain) {
        String own = "domains/" + domain + "/*";
        String update = "models/*/rounds/*/updates/" + domain + ".safetensors";
        return new AccessPolicy(domain, List.of(own, "models/*/global/*", update), List.of(own, update),
                List.of(own), List.of("domains/" + domain + "/"), false);
    }

    public boolean mayRead(String key) {
        return matchesAny(read, key);
    }

    public boolean mayWrite(String key) {
        return matchesAny(write, key);
    }

    public boolean mayDelete(String key) {
        return matchesAny(delete, key);
    }

    /** Listing needs a prefix inside one of the allowed ones (a null prefix lists the whole bucket). */
    public boolean mayList(String prefix) {
        String asked = prefix == null ? "" : prefix;
        return listPrefixes.stream().anyMatch(asked::startsWith);
    }

    private static boolean matchesAny(List<String> wildcards, String key) {
        return key != null && wildcards.stream().anyMatch(wildcard -> toRegex(wildcard).matcher(key).matches());
    }

    /** IAM's wildcard: {@code *} is any run of characters, {@code /} included; everything else is literal. */
    private static Pattern toRegex(String wildcard) {
        StringBuilder regex = new StringBuilder();
        for (String literal : wildcard.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
