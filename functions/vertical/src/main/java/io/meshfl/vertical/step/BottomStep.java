package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.BottomModel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A domain's side of the step protocol: it writes its embeddings of a window, and, triggered by the head's gradient
 * for them, back-propagates into its bottom model and writes its embeddings of the next window.
 *
 * <p>Exactly once per window, as the head: the bottom's state is versioned by window under the domain's own prefix and
 * written with {@code If-None-Match: *}; only the invocation that stores the state after window w applied the
 * gradient of window w ({@link StepOutcome.Applied}). Embeddings are computed from the stored state they follow and
 * are write-once, so a redelivered gradient event re-sends nothing.
 */
public final class BottomStep {

    private final String party;
    private final WindowPlan plan;
    private final AlignedColumns data;
    private final BottomModel bottom;
    private final UpdateSigner signer;
    private final SignatureVerifier headKey;
    private final Clock clock;

    public BottomStep(String party, WindowPlan plan, AlignedColumns data, BottomModel bottom, UpdateSigner signer,
            SignatureVerifier headKey, Clock clock) {
        this.clock = clock;
        this.party = party;
        this.plan = plan;
        this.data = data;
        this.bottom = bottom;
        this.signer = signer;
        this.headKey = headKey;
    }

    public String party() {
        return party;
    }

    /** Stores the round's first state and the first window's embeddings; the key waited for, if any. */
    public Optional<String> begin(ObjectStore store, VerticalRound round) {
        return begin(store, round, HeadKeys.always(headKey));
    }

    /**
     * As {@link #begin(ObjectStore, VerticalRound)}, verifying each earlier round's outcome it starts from with the head
     * owner's key in that round ({@code headKeys}: it may have rotated since).
     */
    public synchronized Optional<String> begin(ObjectStore store, VerticalRound round, HeadKeys headKeys) {
        Optional<String> waiting = StateVersions.ensureFirst(store, round, (r, w) -> round.bottomStateKey(party, r, w),
                () -> round.optimiser().initial(bottom.mlp().values()), headKeys);
        if (waiting.isEmpty()) {
            ensureEmbedding(store, round, 0, null);
        }
        return waiting;
    }

    /** Applies window {@code window}'s gradient if it is there and not applied yet. Safe to call any number of times. */
    public synchronized StepOutcome onGradient(ObjectStore store, VerticalRound round, int window) {
        // A failure can only be recorded after the deadline: before it, no request is spent on the outcome.
        if (clock.instant().isAfter(round.deadline())) {
            Optional<RoundOutcome> outcome = RoundOutcome.read(store, round.model(), round.round(), headKey);
            if (outcome.isPresent() && outcome.get().failed()) {
                return new StepOutcome.RoundOver(outcome.get());
            }
        }
        String before = round.bottomStateKey(party, round.round(), window);
        String after = round.bottomStateKey(party, round.round(), window + 1);
        boolean applied = false;
        ParameterState next = null;
        if (store.head(after).isEmpty()) {
            List<String> missing = new ArrayList<>();
            for (String key : List.of(round.gradientKey(window, party), before)) {
                if (store.head(key).isEmpty()) {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty()) {
                return new StepOutcome.Waiting(window, missing);
            }
            int[] positions = plan.positions(round.round(), window);
            BatchTensor gradient = StepTensors.read(store, round.gradientKey(window, party),
                    HeadStep.header(StepHeader.GRADIENT, round, window, party,
                            WindowPlan.batchDigest(data.pseudonyms(), positions)), headKey);
            ParameterState state = ParameterState.read(store, before);
            bottom.mlp().load(state.parameters());
            List<float[]> gradients = bottom.backward(data.rows(positions), positions.length, gradient);
            ParameterState stepped = round.optimiser().step(state, gradients);
            applied = stepped.writeOnce(store, after);
            // The state this call stored is the stored state: no need to read it back for the next embeddings.
            next = applied ? stepped : null;
        }
        if (window + 1 < round.windows()) {
            ensureEmbedding(store, round, window + 1, next);
        }
        return applied ? new StepOutcome.Applied(window, Float.NaN) : new StepOutcome.AlreadyApplied(window);
    }

    /** The embeddings of {@code positions} with the bottom state stored before {@code window} (evaluation, scoring). */
    public synchronized BatchTensor embed(ObjectStore store, VerticalRound round, int window, int[] positions) {
        bottom.mlp().load(ParameterState.read(store, round.bottomStateKey(party, round.round(), window)).parameters());
        return bottom.embed(data.rows(positions), positions.length);
    }

    /** @param state the stored state before {@code window} if the caller has it, else null (it is read) */
    private void ensureEmbedding(ObjectStore store, VerticalRound round, int window, ParameterState state) {
        String key = round.embeddingKey(window, party);
        if (store.head(key).isPresent()) {
            return;
        }
        int[] positions = plan.positions(round.round(), window);
        BatchTensor embedding;
        if (state == null) {
            embedding = embed(store, round, window, positions);
        } else {
            bottom.mlp().load(state.parameters());
            embedding = bottom.embed(data.rows(positions), positions.length);
        }
        StepTensors.writeOnce(store, key, embedding, HeadStep.header(StepHeader.EMBEDDING, round, window, party,
                WindowPlan.batchDigest(data.pseudonyms(), positions)), signer);
    }
}
