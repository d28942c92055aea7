package io.meshfl.vertical.step;

import java.util.List;

/** What one invocation of a step did. Exactly one invocation per window and party ever returns {@link Applied}. */
public sealed interface StepOutcome {

    /** This invocation applied the step: it wrote the next state version (and, for the head, the gradients). */
    record Applied(int window, float loss) implements StepOutcome {
    }

    /** The step was already applied by another invocation; this one at most completed what that one left unwritten. */
    record AlreadyApplied(int window) implements StepOutcome {
    }

    /** Inputs are missing; each entry is a key the step waits for. */
    record Waiting(int window, List<String> missing) implements StepOutcome {
        public Waiting {
            missing = List.copyOf(missing);
        }
    }

    /** The round has ended (completed or failed); nothing is applied any more. */
    record RoundOver(RoundOutcome outcome) implements StepOutcome {
    }
}
