package io.meshfl.vertical.psi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a private set intersection keeps its objects. To be folded into core's {@code ObjectKeys} with the rest of
 * the layout; until then this is the one place that spells these keys.
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

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
    private static final Pattern BLINDED_SET = Pattern.compile(
            "models/(" + ID + ")/vrounds/psi/(" + ID + ")/sets/(" + ID + ")/([1-9][0-9]{0,3})\\.points");

    private PsiKeys() {
    }

    /** A blinded set's key, parsed: which session, whose set, after how many steps. */
    public record BlindedSetKey(String model, String session, String owner, int step) {
    }

    public static String sessionPrefix(String model, String session) {
        return "models/" + model + "/vrounds/psi/" + session + "/";
    }

    public static String blindedSet(String model, String session, String owner, int step) {
        return sessionPrefix(model, session) + "sets/" + owner + "/" + step + ".points";
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
