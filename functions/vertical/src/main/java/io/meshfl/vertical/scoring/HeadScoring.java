package io.meshfl.vertical.scoring;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.HeadModel;
import io.meshfl.vertical.step.ParameterState;
import io.meshfl.vertical.step.StepHeader;
import io.meshfl.vertical.step.StepTensors;
import io.meshfl.vertical.step.VerticalRound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The head owner's side of a scoring, triggered by every party's embeddings or refusal: once every party has
 * answered, it checks each embedding's signature and every signed field (kind {@value PartyScoring#KIND}, model,
 * the version's round and window, party, the request's digest), runs the head at the same version and writes
 * {@code scores.safetensors} (one probability per pseudonym, in the request's order, signed by the head owner), then
 * the outcome DONE. A refusal, a refused embedding or an unknown version settles FAILED with the reason and no scores.
 *
 * <p>One answer per scoring: the scores and the outcome are write-once ({@code If-None-Match: *}); duplicated or
 * concurrent invocations compute the same scores from the same stored inputs, and the first outcome stored is the
 * outcome. Scores are written before the outcome, so an invocation that died between the two is completed by the
 * next event, never repeated.
 */
public final class HeadScoring {

    /** The {@code kind} of a scores object and the name of its one tensor, [pseudonyms, 1]. */
    public static final String SCORES = "scores";

    private final HeadModel head;
    private final UpdateSigner signer;
    private final SignatureVerifier headKey;
    private final Map<String, SignatureVerifier> partyKeys;

    /**
     * @param head the head network, embedding inputs in the round's party order; its parameters are replaced by the
     *             stored state of the requested version
     * @param headKey the head owner's public key (the round outcome that makes the version is verified with it)
     * @param partyKeys every party's signature verifier, by party id
     */
    public HeadScoring(HeadModel head, UpdateSigner signer, SignatureVerifier headKey,
            Map<String, SignatureVerifier> partyKeys) {
        this.head = head;
        this.signer = signer;
        this.headKey = headKey;
        this.partyKeys = Map.copyOf(partyKeys);
    }

    /** What one call found: the settled outcome, or the parties it still waits for. */
    public sealed interface Progress {
        record Settled(ScoringOutcome outcome) implements Progress {
        }

        record Waiting(List<String> parties) implements Progress {
        }
    }

    /** Scores {@code request} with {@code round}'s final state if every party has answered. Safe to call any time. */
    public synchronized Progress advance(ObjectStore store, ScoringRequest request, VerticalRound round) {
        Optional<ScoringOutcome> settled = ScoringOutcome.read(store, request.model(), request.scoring());
        if (settled.isPresent()) {
            return new Progress.Settled(settled.get());
        }
        if (round.round() != request.round() || !round.model().equals(request.model())) {
            throw new IllegalArgumentException("Scoring '" + request.scoring() + "' asks for round " + request.round()
                    + " of model '" + request.model() + "', given round " + round.round() + " of '" + round.model()
                    + "'");
        }
        Optional<String> unknown = PartyScoring.unknownVersion(store, round, headKey);
        if (unknown.isPresent()) {
            return settle(store, ScoringOutcome.failed(request, unknown.get()));
        }
        // One listing of the scoring's folder: which parties answered, and how.
        Set<String> present = store.list(ObjectKeys.verticalScoring(request.model(), request.scoring())).stream()
                .map(StoredObject::key).collect(Collectors.toSet());
        for (String party : round.parties()) {
            String refusal = ObjectKeys.scoringRefusal(request.model(), request.scoring(), party);
            if (present.contains(refusal)) {
                String reason = ScoringRefusal.read(store, refusal).map(ScoringRefusal::reason).orElse("unknown");
                return settle(store, ScoringOutcome.failed(request, "party '" + party + "' refused: " + reason));
            }
        }
        List<String> waiting = round.parties().stream()
                .filter(p -> !present.contains(ObjectKeys.scoringEmbedding(request.model(), request.scoring(), p)))
                .toList();
        if (!waiting.isEmpty()) {
            return new Progress.Waiting(waiting);
        }
        List<BatchTensor> embeddings = new ArrayList<>();
        int rows = request.pseudonyms().size();
        for (String party : round.parties()) {
            String key = ObjectKeys.scoringEmbedding(request.model(), request.scoring(), party);
            BatchTensor embedding;
            try {
                embedding = StepTensors.read(store, key, PartyScoring.header(request, round, party), verifier(party));
            } catch (StepTensors.StepRejectedException e) {
                return settle(store, ScoringOutcome.failed(request, e.getMessage()));
            }
            if (embedding.rows() != rows) {
                return settle(store, ScoringOutcome.failed(request, "'" + key + "' has " + embedding.rows()
                        + " rows, the request " + rows + " pseudonyms"));
            }
            embeddings.add(embedding);
        }
        float[] logits;
        try {
            head.mlp().load(ParameterState.read(store, round.headStateKey(round.round(), round.windows())).parameters());
            logits = head.logits(embeddings);
        } catch (IllegalArgumentException e) {
            return settle(store, ScoringOutcome.failed(request, "the head cannot use the embeddings: "
                    + e.getMessage()));
        }
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (1 / (1 + Math.exp(-(double) logits[i])));
        }
        StepTensors.writeOnce(store, ObjectKeys.scoringScores(request.model(), request.scoring()),
                new BatchTensor(SCORES, rows, 1, probabilities), scoresHeader(request, round), signer);
        return settle(store, ScoringOutcome.done(request));
    }

    /**
     * Settles {@code request} FAILED for a reason the caller established (the deployment's registry does not record
     * the round COMPLETED, say), unless an outcome is stored already: the first outcome stays the outcome.
     */
    public synchronized Progress fail(ObjectStore store, ScoringRequest request, String reason) {
        return settle(store, ScoringOutcome.failed(request, reason));
    }

    /**
     * The scores of a DONE scoring, checked as any reader must: the head owner's signature and every signed field.
     *
     * @throws StepTensors.StepRejectedException if they are not the head owner's scores of this request
     */
    public static float[] readScores(ObjectStore store, ScoringRequest request, VerticalRound round,
            SignatureVerifier headOwner) {
        return StepTensors.read(store, ObjectKeys.scoringScores(request.model(), request.scoring()),
                scoresHeader(request, round), headOwner).values();
    }

    private static StepHeader scoresHeader(ScoringRequest request, VerticalRound round) {
        return new StepHeader(SCORES, request.model(), round.round(), round.windows(), round.headOwner(),
                request.digest());
    }

    private Progress settle(ObjectStore store, ScoringOutcome outcome) {
        return new Progress.Settled(outcome.settle(store));
    }

    private SignatureVerifier verifier(String party) {
        SignatureVerifier verifier = partyKeys.get(party);
        if (verifier == null) {
            throw new IllegalStateException("No public key for party '" + party + "'");
        }
        return verifier;
    }
}
