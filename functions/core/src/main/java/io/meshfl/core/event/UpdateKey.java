package io.meshfl.core.event;

import io.meshfl.core.keys.ResourceId;
import io.meshfl.core.objectstore.ObjectKeySyntax;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key a domain writes its weight update under: {@code models/{model}/rounds/{round}/updates/{domain}.safetensors}.
 * Anything else in the bucket (the aggregator's own writes under {@code global/}, {@code state/}, {@code tmp/}, data
 * products, stray files) is not an update and parses to empty, so the function that writes to the bucket it listens
 * on cannot trigger itself.
 *
 * <p>Model and domain ids are {@link ResourceId}s: they need no encoding in keys or URLs, and "." / ".." can never
 * name a path step.
 */
public record UpdateKey(String model, int round, String domain) {

    private static final Pattern KEY = Pattern.compile("models/(" + ResourceId.REGEX + ")/rounds/([1-9][0-9]{0,8})/updates/("
            + ResourceId.REGEX + ")\\.safetensors");

    public UpdateKey {
        ResourceId.require(model, "model");
        ResourceId.require(domain, "domain");
        if (round < 1) {
            throw new IllegalArgumentException("Round numbers start at 1, got " + round);
        }
    }

    /** The update this key names, or empty if the key is not an update key. */
    public static Optional<UpdateKey> parse(String key) {
        // The pattern alone already excludes dot segments; the shared rule keeps that true if the pattern changes.
        if (key == null || ObjectKeySyntax.keyProblem(key).isPresent()) {
            return Optional.empty();
        }
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new UpdateKey(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
    }

    /** The object key, the inverse of {@link #parse}. */
    public String key() {
        return "models/" + model + "/rounds/" + round + "/updates/" + domain + ".safetensors";
    }
}
