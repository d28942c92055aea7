package io.meshfl.vertical.step;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.HeadModel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The label owner's step, triggered by every embedding object of a window: once every party's embeddings are there,
 * it runs the head forward and backward, stores the head's next state and each party's embedding gradient.
 *
 * <p>Exactly once per window: the head's state is versioned by window (the state before window w+1 is a function of
 * the state before window w and window w's embeddings), and the state after a window is written with
 * {@code If-None-Match: *}. Duplicated or concurrent invocations compute the same step from the same stored inputs;
 * exactly one stores the next state ({@link StepOutcome.Applied}), the others find it stored and only write gradients
 * still missing (a crashed winner's), recomputed from the same inputs; gradients are write-once too, so a party never
 * receives two gradients for one window.
 */
public final class HeadStep {

    private final WindowPlan plan;
    private final AlignedLabels labels;
    private final HeadModel head;
    private final UpdateSigner signer;
    private final SignatureVerifier headKey;
    private final Map<String, SignatureVerifier> partyKeys;
    private final Clock clock;

    /**
     * @param head the head network, its embedding inputs in the round's party order; its parameters are replaced by the
     *             stored state before every step, so its initial values matter only for round 1's first state
     * @param signer the head owner's signing key (gradients, the round's outcome)
     * @param headKey the head owner's public key, which verifies the outcomes it reads (its own, signed with
     *                {@code signer})
     * @param partyKeys every party's signature verifier, by party id
     */
    public HeadStep(WindowPlan plan, AlignedLabels labels, HeadModel head, UpdateSigner signer,
            SignatureVerifier headKey, Map<String, SignatureVerifier> partyKeys, Clock clock) {
        this.plan = plan;
        this.labels = labels;
        this.head = head;
        this.signer = signer;
        this.headKey = headKey;
        this.partyKeys = Map.copyOf(partyKeys);
        this.clock = clock;
    }

    /** Stores the head's state before the round's first window (see {@link StateVersions}); the key waited for, if any. */
    public Optional<String> begin(ObjectStore store, VerticalRound round) {
        return begin(store, round, HeadKeys.always(headKey));
    }

    /**
     * As {@link #begin(ObjectStore, VerticalRound)}, verifying each earlier round's outcome it starts from with the head
     * owner's key in that round ({@code headKeys}: it may have rotated since).
     */
    public synchronized Optional<String> begin(ObjectStore store, VerticalRound round, HeadKeys headKeys) {
        requirePlan(round);
        return StateVersions.ensureFirst(store, round, round::headStateKey,
                () -> round.optimiser().initial(head.mlp().values()), headKeys);
    }

    /** Does window {@code window}'s head step if it can and it is not done yet. Safe to call any number of times. */
    public synchronized StepOutcome advance(ObjectStore store, VerticalRound round, int window) {
        requirePlan(round);
        // Before the deadline a round can only have ended by completing, which the stored head state shows; only
        // later can a failure be recorded (one request saved per event, the protocol's commonest call).
        if (clock.instant().isAfter(round.deadline())) {
            Optional<RoundOutcome> over = DeadlineSweep.sweep(store, round, clock.instant(), signer, headKey);
            if (over.isPresent()) {
                return new StepOutcome.RoundOver(over.get());
            }
        }
        String before = round.headStateKey(round.round(), window);
        String after = round.headStateKey(round.round(), window + 1);
        // One listing of the window's folder: which embeddings and gradients are there.
        Set<String> present = store.list(ObjectKeys.verticalWindow(round.model(), round.round(), window)).stream()
                .map(StoredObject::key).collect(Collectors.toSet());
        boolean stepped = store.head(after).isPresent();
        if (stepped && round.parties().stream().allMatch(p -> present.contains(round.gradientKey(window, p)))) {
            return new StepOutcome.AlreadyApplied(window);
        }
        List<String> missing = round.parties().stream().map(p -> round.embeddingKey(window, p))
                .filter(key -> !present.contains(key)).collect(Collectors.toCollection(ArrayList::new));
        if (missing.isEmpty() && store.head(before).isEmpty()) {
            missing.add(before);
        }
        if (!missing.isEmpty()) {
            return new StepOutcome.Waiting(window, missing);
        }
        int[] positions = plan.positions(round.round(), window);
        String batch = WindowPlan.batchDigest(labels.pseudonyms(), positions);
        List<BatchTensor> embeddings = new ArrayList<>();
        for (String party : round.parties()) {
            embeddings.add(StepTensors.read(store, round.embeddingKey(window, party),
                    header(StepHeader.EMBEDDING, round, window, party, batch), verifier(party)));
        }
        ParameterState state = ParameterState.read(store, before);
        head.mlp().load(state.parameters());
        HeadModel.Step step = head.step(embeddings, labels.rows(positions));
        boolean applied = round.optimiser().step(state, step.headGradients()).writeOnce(store, after);
        // After the state, not before: whoever finds the state stored but a gradient missing recomputes it from the
        // same stored inputs, so a winner that died between the two writes is completed, never repeated.
        for (int i = 0; i < round.parties().size(); i++) {
            String party = round.parties().get(i);
            StepTensors.writeOnce(store, round.gradientKey(window, party), step.embeddingGradients().get(i),
                    header(StepHeader.GRADIENT, round, window, party, batch), signer);
        }
        if (window + 1 == round.windows()) {
            new RoundOutcome(round.model(), round.round(), RoundOutcome.Status.COMPLETED, round.windows(), List.of(),
                    "").settle(store, signer, headKey);
        }
        return applied ? new StepOutcome.Applied(window, step.loss()) : new StepOutcome.AlreadyApplied(window);
    }

    /** The head's current parameters as stored before {@code window} (for evaluation and scoring). */
    public synchronized HeadModel load(ObjectStore store, VerticalRound round, int window) {
        head.mlp().load(ParameterState.read(store, round.headStateKey(round.round(), window)).parameters());
        return head;
    }

    private SignatureVerifier verifier(String party) {
        SignatureVerifier verifier = partyKeys.get(party);
        if (verifier == null) {
            throw new IllegalStateException("No public key for party '" + party + "'");
        }
        return verifier;
    }

    private void requirePlan(VerticalRound round) {
        if (round.windows() != plan.windows()) {
            throw new IllegalArgumentException("Round " + round.round() + " has " + round.windows()
                    + " windows, the window plan " + plan.windows());
        }
    }

    static StepHeader header(String kind, VerticalRound round, int window, String party, String batch) {
        return new StepHeader(kind, round.model(), round.round(), window, party, batch);
    }
}
