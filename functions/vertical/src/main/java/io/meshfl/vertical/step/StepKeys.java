package io.meshfl.vertical.step;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes an object-created event of the step protocol (the layout is core's {@link ObjectKeys}): an embedding
 * triggers the head's step for its window, a gradient triggers its party's backward step.
 */
public final class StepKeys {

    private static final String ID = ResourceId.REGEX;
    private static final Pattern STEP = Pattern.compile("models/(" + ID + ")/vrounds/([1-9][0-9]{0,8})/steps/"
            + "(0|[1-9][0-9]{0,8})/(embeddings|gradients)/(" + ID + ")\\.safetensors");

    private StepKeys() {
    }

    public enum Kind { EMBEDDING, GRADIENT }

    /** A parsed step object key. */
    public record StepKey(String model, int round, int window, Kind kind, String party) {
    }

    /** The step object {@code key} names, or empty for any other key. */
    public static Optional<StepKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = STEP.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        String party = m.group(5);
        if (party.endsWith(".safetensors")) {
            return Optional.empty();
        }
        return Optional.of(new StepKey(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4).equals("embeddings") ? Kind.EMBEDDING : Kind.GRADIENT, party));
    }
}
