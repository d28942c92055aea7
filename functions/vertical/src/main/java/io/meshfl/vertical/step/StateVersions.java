package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a party's state for the first window of a round comes from, the same rule for the head and every bottom so
 * they stay in step: round 1 starts from the model's initial parameters; a later round from the state the previous
 * round ended with if it completed, or from the state it started with if it failed (a failed round changes nothing).
 * A party that was absent from a failed round (it never stored that round's first state) starts from what that round
 * would have started from, looking further back: one missed round does not lock it out of the rounds after it.
 */
final class StateVersions {

    private StateVersions() {
    }

    /**
     * Makes sure the party's state before window 0 of {@code round} is stored.
     * Empty when done; otherwise the key it waits for.
     *
     * @param stateKey the party's state key for (round number, window)
     * @param headKeys the head owner's public key per round: each earlier round's outcome read on the way must carry
     *                 the signature of its own round's key (a head that rotated its key signed older ones with the old)
     */
    static Optional<String> ensureFirst(ObjectStore store, VerticalRound round, StateKey stateKey,
            Supplier<ParameterState> initial, HeadKeys headKeys) {
        String first = stateKey.of(round.round(), 0);
        if (store.head(first).isPresent()) {
            return Optional.empty();
        }
        for (int previous = round.round() - 1; previous >= 1; previous--) {
            Optional<RoundOutcome> ended = RoundOutcome.read(store, round.model(), previous,
                    headKeys.ofRound(previous));
            if (ended.isEmpty()) {
                return Optional.of(round.outcomeKey(previous));
            }
            String from = stateKey.of(previous, ended.get().failed() ? 0 : ended.get().window());
            if (store.head(from).isPresent()) {
                ParameterState.read(store, from).writeOnce(store, first);
                return Optional.empty();
            }
            if (!ended.get().failed()) {
                // A completed round's last state is written before its outcome: this party's must come.
                return Optional.of(from);
            }
            // A failed round this party never began: it started from what the round before it left.
        }
        initial.get().writeOnce(store, first);
        return Optional.empty();
    }

    /** A party's state key for a round and a window. */
    @FunctionalInterface
    interface StateKey {
        String of(int round, int window);
    }
}
