package io.meshfl.training.vertical;

import io.meshfl.core.keys.ResourceId;
import io.meshfl.vertical.psi.PsiKeys;
import io.meshfl.vertical.step.StepKeys;
import io.meshfl.vertical.step.VerticalRound;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an object-created event under a vertical model's keys asks of a training function (core's ObjectKeys layout). */
sealed interface VerticalObject {

    String model();

    /** A PSI session was declared: every party publishes its first set. */
    record SessionDeclared(String model, String session) implements VerticalObject {
    }

    /** A blinded set was written: the party that applies the next step, and every party once all are in. */
    record BlindedSet(PsiKeys.BlindedSetKey key) implements VerticalObject {
        public String model() {
            return key.model();
        }
    }

    /** A party's embeddings: the head's step for the window. */
    record Embedding(StepKeys.StepKey key) implements VerticalObject {
        public String model() {
            return key.model();
        }
    }

    /** The head's gradient for a party: that party's backward step. */
    record Gradient(StepKeys.StepKey key) implements VerticalObject {
        public String model() {
            return key.model();
        }
    }

    /** The head's state before a window: the head's step for that window, in case its embeddings came first. */
    record HeadState(String model, int round, int window, String owner) implements VerticalObject {
    }

    String ID = ResourceId.REGEX;
    String NUMBER = "(0|[1-9][0-9]{0,8})";
    Pattern SESSION = Pattern.compile("models/(" + ID + ")/vrounds/psi/(" + ID + ")/session\\.json");
    Pattern GOVERNANCE_HEAD = Pattern.compile("models/(" + ID + ")/vrounds/([1-9][0-9]{0,8})/head/" + NUMBER
            + "\\.safetensors");
    Pattern DOMAIN_HEAD = Pattern.compile("domains/(" + ID + ")/vertical/(" + ID + ")/vrounds/([1-9][0-9]{0,8})/head/"
            + NUMBER + "\\.safetensors");

    /** What {@code key} names, or empty for any other key (including the objects no step is triggered by). */
    static Optional<VerticalObject> parse(String key) {
        Matcher m;
        if ((m = SESSION.matcher(key)).matches()) {
            return Optional.of(new SessionDeclared(m.group(1), m.group(2)));
        }
        if ((m = GOVERNANCE_HEAD.matcher(key)).matches()) {
            return Optional.of(new HeadState(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    VerticalRound.GOVERNANCE));
        }
        if ((m = DOMAIN_HEAD.matcher(key)).matches()) {
            return Optional.of(new HeadState(m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    m.group(1)));
        }
        Optional<PsiKeys.BlindedSetKey> set = PsiKeys.parse(key);
        if (set.isPresent()) {
            return Optional.of(new BlindedSet(set.get()));
        }
        return StepKeys.parse(key).map(step -> step.kind() == StepKeys.Kind.EMBEDDING
                ? new Embedding(step) : new Gradient(step));
    }
}
