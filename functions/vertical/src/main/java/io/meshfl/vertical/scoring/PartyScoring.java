package io.meshfl.vertical.scoring;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.step.AlignedColumns;
import io.meshfl.vertical.step.ParameterState;
import io.meshfl.vertical.step.RoundOutcome;
import io.meshfl.vertical.step.StepHeader;
import io.meshfl.vertical.step.StepTensors;
import io.meshfl.vertical.step.VerticalRound;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A party's side of a scoring, triggered by the request's object event: it looks the request's pseudonyms up in its
 * own alignment of the request's PSI session, runs its bottom model at the requested version (its state after the
 * last window of the round that produced it) and writes its signed embeddings, kind {@value #KIND}, bound to the
 * request's digest. If it does not hold every pseudonym, or the version does not exist, it writes a
 * {@link ScoringRefusal} instead (counts, never which pseudonyms). Write-once either way: a redelivered or concurrent
 * request event writes nothing new.
 */
public final class PartyScoring {

    /** The {@code kind} of a scoring embedding (and the name of its one tensor); training embeddings are "embedding". */
    public static final String KIND = "score";

    private final String party;
    private final AlignedColumns data;
    private final BottomModel bottom;
    private final UpdateSigner signer;
    private final SignatureVerifier headKey;

    /**
     * @param data the party's columns in the common order of the request's PSI session
     * @param headKey the head owner's public key: a version exists only if the head owner signed its round COMPLETED
     */
    public PartyScoring(String party, AlignedColumns data, BottomModel bottom, UpdateSigner signer,
            SignatureVerifier headKey) {
        this.party = party;
        this.data = data;
        this.bottom = bottom;
        this.signer = signer;
        this.headKey = headKey;
    }

    /** What one call did. */
    public enum Result { EMBEDDED, REFUSED, ALREADY_ANSWERED, WAITING_FOR_OWN_STATE }

    /**
     * Answers {@code request} with the state of {@code round} (the round {@code request.round()}, as this party knows
     * it: its windows and state keys).
     */
    public synchronized Result answer(ObjectStore store, ScoringRequest request, VerticalRound round) {
        if (round.round() != request.round() || !round.model().equals(request.model())) {
            throw new IllegalArgumentException("Scoring '" + request.scoring() + "' asks for round " + request.round()
                    + " of model '" + request.model() + "', given round " + round.round() + " of '" + round.model()
                    + "'");
        }
        String embeddingKey = ObjectKeys.scoringEmbedding(request.model(), request.scoring(), party);
        String refusalKey = ObjectKeys.scoringRefusal(request.model(), request.scoring(), party);
        if (store.head(embeddingKey).isPresent() || store.head(refusalKey).isPresent()) {
            return Result.ALREADY_ANSWERED;
        }
        Optional<String> unknown = unknownVersion(store, round, headKey);
        if (unknown.isPresent()) {
            return refuse(store, request, unknown.get());
        }
        Map<String, Integer> positionOf = new HashMap<>(data.pseudonyms().size() * 2);
        for (int i = 0; i < data.pseudonyms().size(); i++) {
            positionOf.put(data.pseudonyms().get(i), i);
        }
        int[] positions = new int[request.pseudonyms().size()];
        int missing = 0;
        for (int i = 0; i < positions.length; i++) {
            Integer position = positionOf.get(request.pseudonyms().get(i));
            if (position == null) {
                missing++;
            } else {
                positions[i] = position;
            }
        }
        if (missing > 0) {
            return refuse(store, request, "party '" + party + "' holds no entity for " + missing + " of the "
                    + positions.length + " pseudonyms of scoring '" + request.scoring() + "' (PSI session '"
                    + request.session() + "')");
        }
        String state = round.bottomStateKey(party, round.round(), round.windows());
        if (store.head(state).isEmpty()) {
            // The round completed at the head, this party's last backward step is not stored yet: a later delivery
            // of the request answers (nothing is written meanwhile).
            return Result.WAITING_FOR_OWN_STATE;
        }
        bottom.mlp().load(ParameterState.read(store, state).parameters());
        BatchTensor embedding = bottom.embed(data.rows(positions), positions.length);
        boolean stored = StepTensors.writeOnce(store, embeddingKey,
                new BatchTensor(KIND, embedding.rows(), embedding.width(), embedding.values()),
                header(request, round, party), signer);
        return stored ? Result.EMBEDDED : Result.ALREADY_ANSWERED;
    }

    /**
     * Answers {@code request} with a refusal for a reason the caller established (the deployment's registry does not
     * record the round COMPLETED, say), unless this party has answered it already.
     */
    public synchronized Result refuse(ObjectStore store, ScoringRequest request, String reason) {
        if (store.head(ObjectKeys.scoringEmbedding(request.model(), request.scoring(), party)).isPresent()) {
            return Result.ALREADY_ANSWERED;
        }
        return new ScoringRefusal(party, reason).writeOnce(store, request.model(), request.scoring())
                ? Result.REFUSED : Result.ALREADY_ANSWERED;
    }

    /**
     * Why {@code round}'s final state is no version to score with, if it is not: its outcome is missing, FAILED, or not
     * one the head owner signed for this round (a forged outcome makes no version).
     */
    static Optional<String> unknownVersion(ObjectStore store, VerticalRound round, SignatureVerifier headKey) {
        Optional<RoundOutcome> outcome;
        try {
            outcome = RoundOutcome.read(store, round.model(), round.round(), headKey);
        } catch (StepTensors.StepRejectedException e) {
            return Optional.of("round " + round.round() + " of model '" + round.model() + "' has no outcome to trust: "
                    + e.getMessage());
        }
        if (outcome.isEmpty() || outcome.get().failed()) {
            return Optional.of("round " + round.round() + " of model '" + round.model() + "' has "
                    + (outcome.isEmpty() ? "not completed" : "failed") + ": it produced no version to score with");
        }
        return Optional.empty();
    }

    /** What a party signs on its scoring embeddings: the version's state (round, last window) and the request. */
    static StepHeader header(ScoringRequest request, VerticalRound round, String party) {
        return new StepHeader(KIND, request.model(), round.round(), round.windows(), party, request.digest());
    }
}
