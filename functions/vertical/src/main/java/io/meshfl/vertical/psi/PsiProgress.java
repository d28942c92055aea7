package io.meshfl.vertical.psi;

import java.util.List;

/** Where a party stands after {@link PsiParty#advance}: still waiting for others' objects, or aligned. */
public sealed interface PsiProgress {

    /** Some objects other parties write are not there yet; each names the key the party waits for. */
    record Waiting(List<String> missing) implements PsiProgress {
        public Waiting {
            missing = List.copyOf(missing);
        }
    }

    /** Every fully blinded set is present: the party knows its rows of the intersection. */
    record Aligned(EntityAlignment alignment) implements PsiProgress {
    }
}
