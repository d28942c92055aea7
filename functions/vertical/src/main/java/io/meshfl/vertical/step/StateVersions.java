package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.SignatureVerifier;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a party's state for the first window of a round comes from, the same rule for the head and every bottom so
 * they stay in step: round 1 starts from the model's initial parameters; a later round from the state the previous
 * round ended with if it completed, or from the state it started with if it failed (a failed round changes nothing).
 */
final class StateVersions {

    private StateVersions() {
    }

    /**
     * Makes sure the party's state before window 0 of {@code round} is stored.
     * Empty when done; otherwise the key it waits for.
     *
     * @param stateKey the party's state key for (round number, window)
     * @param previousHead the head owner's public key as it was in the previous round: that round's outcome must
     *                     carry its signature (a head that rotated its key between rounds signed it with the old one)
     */
    static Optional<String> ensureFirst(ObjectStore store, VerticalRound round, StateKey stateKey,
            Supplier<ParameterState> initial, SignatureVerifier previousHead) {
        String first = stateKey.of(round.round(), 0);
        if (store.head(first).isPresent()) {
            return Optional.empty();
        }
        if (round.round() == 1) {
            initial.get().writeOnce(store, first);
            return Optional.empty();
        }
        int previous = round.round() - 1;
        Optional<RoundOutcome> ended = RoundOutcome.read(store, round.model(), previous, previousHead);
        if (ended.isEmpty()) {
            return Optional.of(round.outcomeKey(previous));
        }
        String from = stateKey.of(previous, ended.get().failed() ? 0 : round.windows());
        if (store.head(from).isEmpty()) {
            return Optional.of(from);
        }
        ParameterState.read(store, from).writeOnce(store, first);
        return Optional.empty();
    }

    /** A party's state key for a round and a window. */
    @FunctionalInterface
    interface StateKey {
        String of(int round, int window);
    }
}
