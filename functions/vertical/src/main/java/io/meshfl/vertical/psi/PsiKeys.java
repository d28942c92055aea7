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
 * models/{model}/vrounds/psi/{session}/sets/{owner}/{step}/{writer}.points
 *                                    owner's entity keys after {step} blinding steps, written by {writer}
 * </pre>
 *
 * Step {@code n} (the number of parties) is the fully blinded set every party intersects. Nothing under these keys
 * names an entity: the objects hold only blinded points ({@link BlindedSet}). The writer is the ring's blinder of that
 * step ({@link PsiSession#blinder}); every reader asks for the key naming it, so a set stored under any other writer
 * is never read, and an access policy can let party d write only {@code models/*}{@code /vrounds/psi/*}{@code /d.points}.
 */
public final class PsiKeys {

    private static final String ID = ResourceId.REGEX;
    private static final Pattern BLINDED_SET = Pattern.compile(
            "models/(" + ID + ")/vrounds/psi/(" + ID + ")/sets/(" + ID + ")/([1-9][0-9]{0,3})/(" + ID + ")\\.points");

    private PsiKeys() {
    }

    /** A blinded set's key, parsed: which session, whose set, after how many steps, written by whom. */
    public record BlindedSetKey(String model, String session, String owner, int step, String writer) {

        /** Whether the key names the party the session's ring makes the writer of this step (else: ignore it). */
        public boolean writtenByBlinderOf(PsiSession session) {
            return step <= session.steps() && session.parties().contains(owner)
                    && session.blinder(owner, step).equals(writer);
        }
    }

    public static String sessionPrefix(String model, String session) {
        return ObjectKeys.psiSession(model, session);
    }

    /** The key of {@code owner}'s set after {@code step} steps, naming the ring's blinder of that step as writer. */
    public static String blindedSet(PsiSession session, String owner, int step) {
        return ObjectKeys.psiBlindedSet(session.model(), session.session(), owner, step, session.blinder(owner, step));
    }

    /** The blinded set a key names, or empty for any other key (how an object-created event is routed). */
    public static Optional<BlindedSetKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = BLINDED_SET.matcher(key);
        return m.matches()
                ? Optional.of(new BlindedSetKey(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)),
                        m.group(5)))
                : Optional.empty();
    }
}
