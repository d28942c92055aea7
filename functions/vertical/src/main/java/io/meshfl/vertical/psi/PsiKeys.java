package io.meshfl.vertical.psi;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a private set intersection keeps its objects (the layout is core's {@link ObjectKeys}; this adds the parse
 * that routes an object-created event to the PSI step it completes).
 *
 * <pre>
 * models/{model}/vrounds/psi/{session}/                             one PSI session
 * models/{model}/vrounds/psi/{session}/sets/{owner}/{step}.points   owner's entity keys after {step} blinding steps
 * </pre>
 *
 * Step {@code n} (the number of parties) is the fully blinded set every party intersects. Nothing under these keys
 * names an entity: the objects hold only blinded points ({@link BlindedSet}).
 */
public final class PsiKeys {

    private static final String ID = ResourceId.REGEX;
    private static final Pattern BLINDED_SET = Pattern.compile(
            "models/(" + ID + ")/vrounds/psi/(" + ID + ")/sets/(" + ID + ")/([1-9][0-9]{0,3})\\.points");

    private PsiKeys() {
    }

    /** A blinded set's key, parsed: which session, whose set, after how many steps. */
    public record BlindedSetKey(String model, String session, String owner, int step) {
    }

    public static String sessionPrefix(String model, String session) {
        return ObjectKeys.psiSession(model, session);
    }

    public static String blindedSet(String model, String session, String owner, int step) {
        return ObjectKeys.psiBlindedSet(model, session, owner, step);
    }

    public static String blindedSet(PsiSession session, String owner, int step) {
        return blindedSet(session.model(), session.session(), owner, step);
    }

    /** The blinded set a key names, or empty for any other key (how an object-created event is routed). */
    public static Optional<BlindedSetKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = BLINDED_SET.matcher(key);
        return m.matches()
                ? Optional.of(new BlindedSetKey(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4))))
                : Optional.empty();
    }
}
