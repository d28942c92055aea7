package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What ends a vertical round that events alone would leave open: a party that never sends its embeddings keeps its
 * window open, and nothing else is triggered. Run by a schedule (as the horizontal sweeper) and by the head when it is
 * triggered after the deadline: past the deadline, the round fails with a reason naming the first open window and the
 * parties whose embeddings are missing from it. Only the head owner sweeps: the outcome it records is signed with its key
 * ({@link RoundOutcome}).
 */
public final class DeadlineSweep {

    private DeadlineSweep() {
    }

    /**
     * The round's outcome if it has one now (possibly just recorded by this call); empty while it may still run.
     *
     * @param signer the head owner's signing key, {@code head} its public key (a stored outcome is verified with it)
     */
    public static Optional<RoundOutcome> sweep(ObjectStore store, VerticalRound round, Instant now, UpdateSigner signer,
            SignatureVerifier head) {
        Optional<RoundOutcome> recorded = RoundOutcome.read(store, round.model(), round.round(), head);
        if (recorded.isPresent() || !now.isAfter(round.deadline())) {
            return recorded;
        }
        int window = firstOpenWindow(store, round);
        if (window == round.windows()) {
            // Every head step is stored: only the completion record is missing (the head died just before it).
            return Optional.of(new RoundOutcome(round.model(), round.round(), RoundOutcome.Status.COMPLETED,
                    window, List.of(), "").settle(store, signer, head));
        }
        List<String> missing = round.parties().stream()
                .filter(party -> store.head(round.embeddingKey(window, party)).isEmpty())
                .toList();
        String what = missing.isEmpty()
                ? "every embedding is there but the head owner '" + round.headOwner() + "' did not step it"
                : "no embeddings from " + String.join(", ", missing);
        String reason = "vertical round " + round.round() + " of model '" + round.model() + "' failed at its deadline "
                + round.deadline() + ": window " + window + " of " + round.windows() + " is still open, " + what;
        return Optional.of(new RoundOutcome(round.model(), round.round(), RoundOutcome.Status.FAILED, window, missing,
                reason).settle(store, signer, head));
    }

    /** The first window whose head step is not stored (the head's state after it is missing). */
    static int firstOpenWindow(ObjectStore store, VerticalRound round) {
        for (int window = 0; window < round.windows(); window++) {
            if (store.head(round.headStateKey(round.round(), window + 1)).isEmpty()) {
                return window;
            }
        }
        return round.windows();
    }
}
