package io.meshfl.mesh.vertical;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.vertical.scoring.HeadScoring;
import io.meshfl.vertical.scoring.PartyScoring;
import io.meshfl.vertical.scoring.ScoringKeys;
import io.meshfl.vertical.scoring.ScoringOutcome;
import io.meshfl.vertical.scoring.ScoringRequest;
import io.meshfl.vertical.split.BatchTensor;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.split.HeadModel;
import io.meshfl.vertical.step.AlignedColumns;
import io.meshfl.vertical.step.AlignedLabels;
import io.meshfl.vertical.step.BottomStep;
import io.meshfl.vertical.step.DeadlineSweep;
import io.meshfl.vertical.step.HeadStep;
import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.RoundOutcome;
import io.meshfl.vertical.step.StepKeys;
import io.meshfl.vertical.step.VerticalRound;
import io.meshfl.vertical.step.WindowPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Trains one split model through the step protocol against the local S3 server: the same {@link HeadStep} and
 * {@link BottomStep} code a function would run, triggered by the server's object-created events ({@link StepEvents}),
 * with a sweeper for the deadline. Then scores the held-out positions with the stored final states.
 */
final class SplitTraining implements AutoCloseable {

    static final List<Integer> BOTTOM_LAYERS = List.of(16, 8);
    static final List<Integer> HEAD_LAYERS = List.of(16, 1);

    /** What it needs: where, which model, who holds the head, the aligned data, the plan and the keys. */
    record Setup(ObjectStore store, StepEvents events, String model, String headOwner,
                 Map<String, AlignedColumns> columns, AlignedLabels labels, WindowPlan plan, int rounds,
                 Optimiser optimiser, Duration deadline, Duration sweepPeriod, Map<String, DomainKeyPair> keys) {
    }

    /** Per round: the mean head loss over its windows and the wall time. */
    record RoundLog(int round, double meanLoss, double seconds) {
    }

    private final Setup setup;
    private final HeadStep head;
    private final Map<String, BottomStep> bottoms = new LinkedHashMap<>();
    private final List<RoundLog> log = new ArrayList<>();
    private final List<VerticalRound> rounds = new ArrayList<>();
    private volatile VerticalRound current;
    private final List<Float> losses = new ArrayList<>();
    private final List<AutoCloseable> models = new ArrayList<>();
    private final Map<String, BottomModel> bottomModels = new LinkedHashMap<>();
    private final HeadModel headModel;
    private final Map<String, SignatureVerifier> partyKeys = new LinkedHashMap<>();

    SplitTraining(Setup setup) {
        this.setup = setup;
        List<Integer> widths = new ArrayList<>();
        // The models' initial parameters are drawn here, in this order: initialParameters draws the same.
        for (Map.Entry<String, AlignedColumns> party : setup.columns().entrySet()) {
            String domain = party.getKey();
            partyKeys.put(domain, setup.keys().get(domain).verifier());
            widths.add(BOTTOM_LAYERS.get(BOTTOM_LAYERS.size() - 1));
            BottomModel bottom = new BottomModel(domain, party.getValue().columns(), BOTTOM_LAYERS);
            models.add(bottom);
            bottomModels.put(domain, bottom);
            bottoms.put(domain, new BottomStep(domain, setup.plan(), party.getValue(), bottom,
                    setup.keys().get(domain).signer(),
                    setup.keys().get(setup.headOwner()).verifier(), Clock.systemUTC()));
        }
        headModel = new HeadModel(widths, HEAD_LAYERS);
        models.add(headModel);
        head = new HeadStep(setup.plan(), setup.labels(), headModel,
                setup.keys().get(setup.headOwner()).signer(), setup.keys().get(setup.headOwner()).verifier(), partyKeys,
                Clock.systemUTC());
    }

    /**
     * The initial parameters a split model over these column groups gets from the engine's current random state
     * (every bottom's, in group order, then the head's): what the constructor draws after the same seed, so a
     * {@link CombinedModel} baseline can start where the split model starts.
     */
    static List<float[]> initialParameters(List<Integer> columnGroups) {
        List<float[]> values = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < columnGroups.size(); i++) {
            try (BottomModel bottom = new BottomModel("initial-" + i, columnGroups.get(i), BOTTOM_LAYERS)) {
                values.addAll(bottom.mlp().values());
            }
            widths.add(BOTTOM_LAYERS.get(BOTTOM_LAYERS.size() - 1));
        }
        try (HeadModel head = new HeadModel(widths, HEAD_LAYERS)) {
            values.addAll(head.mlp().values());
        }
        return values;
    }

    /**
     * Runs the rounds through the store until the last one or until {@code stopAfter} says so (it is asked after each
     * round, once that round's final states are stored); returns the per-round log. Throws with the reason if a round
     * fails.
     */
    List<RoundLog> train(IntPredicate stopAfter) {
        StepEvents events = setup.events();
        events.route(this::deliver);
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "vertical-deadline-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = setup.sweepPeriod().toMillis();
        sweeper.scheduleAtFixedRate(() -> events.submit(() -> {
            VerticalRound round = current;
            if (round != null) {
                DeadlineSweep.sweep(setup.store(), round, Clock.systemUTC().instant(),
                        setup.keys().get(setup.headOwner()).signer(), setup.keys().get(setup.headOwner()).verifier());
            }
        }), period, period, TimeUnit.MILLISECONDS);
        try {
            for (int r = 1; r <= setup.rounds(); r++) {
                long start = System.nanoTime();
                VerticalRound round = new VerticalRound(setup.model(), r, List.copyOf(bottoms.keySet()),
                        setup.headOwner(), setup.plan().windows(), Clock.systemUTC().instant().plus(setup.deadline()),
                        setup.optimiser());
                current = round;
                rounds.add(round);
                synchronized (losses) {
                    losses.clear();
                }
                events.submit(() -> head.begin(setup.store(), round));
                bottoms.values().forEach(bottom -> events.submit(() -> bottom.begin(setup.store(), round)));
                events.await(round.outcomeKey(), setup.deadline().plus(setup.sweepPeriod()).plusSeconds(30));
                RoundOutcome outcome = RoundOutcome.read(setup.store(), round.model(), round.round(),
                        setup.keys().get(setup.headOwner()).verifier()).orElseThrow();
                if (outcome.failed()) {
                    throw new IllegalStateException(outcome.reason());
                }
                for (String party : bottoms.keySet()) {
                    events.await(round.bottomStateKey(party, r, round.windows()), Duration.ofMinutes(5));
                }
                double meanLoss;
                synchronized (losses) {
                    meanLoss = losses.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
                }
                log.add(new RoundLog(r, meanLoss, (System.nanoTime() - start) / 1e9));
                if (stopAfter.test(r)) {
                    break;
                }
            }
            return List.copyOf(log);
        } finally {
            sweeper.shutdownNow();
            events.route(key -> { });
        }
    }

    /** The head's logits of {@code positions} with the states stored at the end of round {@code ofRound}. */
    float[] score(int[] positions, int ofRound) {
        VerticalRound round = rounds.get(ofRound - 1);
        List<BatchTensor> embeddings = new ArrayList<>();
        for (BottomStep bottom : bottoms.values()) {
            embeddings.add(bottom.embed(setup.store(), round, round.windows(), positions));
        }
        return head.load(setup.store(), round, round.windows()).logits(embeddings);
    }

    /** What the scoring call answered: the probabilities in the request's order (its sorted pseudonyms). */
    record Scored(ScoringRequest request, float[] probabilities, double seconds) {
    }

    /**
     * Scores {@code pseudonyms} through the scoring call as a deployment runs it: the governance side writes the
     * request, its object event reaches every party ({@link PartyScoring}: its own alignment, its bottom at round
     * {@code ofRound}'s final state, signed embeddings), their events reach the head ({@link HeadScoring}), and the
     * scores are read back checked against the head owner's signature. The same step instances' DJL models are used
     * (on the event thread, one call at a time); every state comes from the store.
     *
     * @throws IllegalStateException with the scoring's reason if it failed
     */
    Scored scoreThroughStore(String scoring, String session, List<String> pseudonyms, int ofRound, Duration timeout) {
        long start = System.nanoTime();
        VerticalRound round = rounds.get(ofRound - 1);
        ScoringRequest request = ScoringRequest.of(setup.model(), scoring, session, ofRound, pseudonyms);
        SignatureVerifier headKey = setup.keys().get(setup.headOwner()).verifier();
        List<PartyScoring> parties = new ArrayList<>();
        bottomModels.forEach((domain, bottom) -> parties.add(new PartyScoring(domain, setup.columns().get(domain),
                bottom, setup.keys().get(domain).signer(), headKey)));
        HeadScoring head = new HeadScoring(headModel, setup.keys().get(setup.headOwner()).signer(), headKey,
                partyKeys);
        StepEvents events = setup.events();
        events.routeScoring(key -> {
            if (!key.model().equals(request.model()) || !key.scoring().equals(request.scoring())) {
                return;
            }
            if (key.kind() == ScoringKeys.Kind.REQUEST) {
                parties.forEach(party -> party.answer(setup.store(), request, round));
            } else {
                head.advance(setup.store(), request, round);
            }
        });
        try {
            if (!request.writeOnce(setup.store())) {
                throw new IllegalStateException("Scoring '" + scoring + "' of model '" + setup.model()
                        + "' was requested before");
            }
            events.await(ObjectKeys.scoringOutcome(setup.model(), scoring), timeout);
            ScoringOutcome outcome = ScoringOutcome.read(setup.store(), setup.model(), scoring).orElseThrow();
            if (outcome.failed()) {
                throw new IllegalStateException("Scoring '" + scoring + "' failed: " + outcome.reason());
            }
            float[] probabilities = HeadScoring.readScores(setup.store(), request, round,
                    setup.keys().get(setup.headOwner()).verifier());
            return new Scored(request, probabilities, (System.nanoTime() - start) / 1e9);
        } finally {
            events.routeScoring(key -> { });
        }
    }

    private void deliver(StepKeys.StepKey key) {
        VerticalRound round = current;
        if (round == null || !key.model().equals(setup.model()) || key.round() != round.round()) {
            return;
        }
        if (key.kind() == StepKeys.Kind.EMBEDDING) {
            if (head.advance(setup.store(), round, key.window())
                    instanceof io.meshfl.vertical.step.StepOutcome.Applied applied) {
                synchronized (losses) {
                    losses.add(applied.loss());
                }
            }
        } else {
            BottomStep bottom = bottoms.get(key.party());
            if (bottom != null) {
                bottom.onGradient(setup.store(), round, key.window());
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable model : models) {
            try {
                model.close();
            } catch (Exception e) {
                throw new IllegalStateException("Could not close a DJL model", e);
            }
        }
    }
}
