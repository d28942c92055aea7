package io.meshfl.vertical.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.testing.S3ProxyServer;
import io.meshfl.training.TestEngine;
import io.meshfl.vertical.scoring.HeadScoring;
import io.meshfl.vertical.scoring.PartyScoring;
import io.meshfl.vertical.scoring.ScoringOutcome;
import io.meshfl.vertical.scoring.ScoringRequest;
import io.meshfl.vertical.psi.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The step protocol's exactly-once and deadline guarantees, with events delivered as an at-least-once bus does. */
class StepProtocolTest {

    private static final Instant START = Instant.parse("2026-12-02T15:00:00Z");
    private static final Instant DEADLINE = START.plus(Duration.ofMinutes(10));

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    @Test
    void duplicatedAndConcurrentEventsApplyEveryWindowExactlyOnceOverS3() throws Exception {
        // Prepare: 40 positions in windows of 16 (3 windows); a reference run with every event delivered once, in
        // memory; the same round over S3 with every event delivered to 3 instances at once, and each embedding event
        // once per party (the head is triggered by every party's embedding).
        TwoPartySplit split = new TwoPartySplit(40, 3);
        WindowPlan plan = split.plan(16);
        Clock clock = Clock.fixed(START, ZoneOffset.UTC);
        VerticalRound round = split.round(1, plan, DEADLINE, Optimiser.adam(0.01f));
        InMemoryObjectStore reference = new InMemoryObjectStore("reference");
        StepDelivery.run(reference, round, List.of(split.head(plan, clock)),
                List.of(List.of(split.bottom("alpha", plan)), List.of(split.bottom("beta", plan))));
        S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
        String bucket = "vertical-steps-" + System.nanoTime();
        s3.ensureBucket(bucket);

        try (S3ObjectStore store = S3ObjectStore.connect(new S3Settings(bucket, s3.region(), Optional.of(s3.uri()),
                true, Optional.of(s3.accessKey()), Optional.of(s3.secretKey())))) {
            // Execute
            List<StepOutcome> outcomes = StepDelivery.run(store, round, instances(3, () -> split.head(plan, clock)),
                    List.of(instances(3, () -> split.bottom("alpha", plan)),
                            instances(3, () -> split.bottom("beta", plan))));

            // Assert: never two applications of one window's step on one side; one object per key; the same states
            // as the reference (a step applied twice, or lost, would leave other parameters). "Applied" is what the
            // winning call reports; a conditional PUT the SDK retried after the server had stored it reports 412,
            // so the report may be missing for a step that was applied — the stored states are the proof.
            for (int window = 0; window < 3; window++) {
                int w = window;
                List<StepOutcome.Applied> applied = outcomes.stream()
                        .filter(o -> o instanceof StepOutcome.Applied a && a.window() == w)
                        .map(StepOutcome.Applied.class::cast).toList();
                assertThat(applied.stream().filter(a -> !Float.isNaN(a.loss()))).as("head steps of window %d", w)
                        .hasSizeLessThanOrEqualTo(1);
                assertThat(applied.stream().filter(a -> Float.isNaN(a.loss()))).as("bottom steps of window %d", w)
                        .hasSizeLessThanOrEqualTo(2);
            }
            List<String> keys = store.list("models/churn/vrounds/1/").stream().map(StoredObject::key).toList();
            assertThat(keys.stream().filter(k -> k.contains("/embeddings/"))).hasSize(3 * 2);
            assertThat(keys.stream().filter(k -> k.contains("/gradients/"))).hasSize(3 * 2);
            assertThat(keys.stream().filter(k -> k.contains("/head/"))).hasSize(3 + 1);
            assertThat(RoundOutcome.read(store, "churn", 1, split.headKey()).orElseThrow().status())
                    .isEqualTo(RoundOutcome.Status.COMPLETED);
            assertSameState(store, reference, round.headStateKey(1, 3));
            assertSameState(store, reference, round.bottomStateKey("alpha", 1, 3));
            assertSameState(store, reference, round.bottomStateKey("beta", 1, 3));
            // Not vacuous: training moved the parameters.
            assertThat(ParameterState.read(store, round.headStateKey(1, 3)).parameters().get(0))
                    .isNotEqualTo(ParameterState.read(store, round.headStateKey(1, 0)).parameters().get(0));

            // Scoring the trained version over the same S3: the request event delivered to 3 instances of each party
            // at once, then each party's embedding event to 3 head instances at once (6 head calls).
            int[] rows = {37, 2, 19, 5, 30, 11};
            ScoringRequest request = ScoringRequest.of(TwoPartySplit.MODEL, "score-1", "psi-1", 1,
                    Arrays.stream(rows).mapToObj(split.pseudonyms::get).toList());
            assertThat(request.writeOnce(store)).isTrue();
            assertThat(request.writeOnce(store)).isFalse();
            List<Callable<Object>> partyCalls = new ArrayList<>();
            for (String party : List.of("alpha", "beta")) {
                instances(3, () -> split.partyScoring(party))
                        .forEach(p -> partyCalls.add(() -> p.answer(store, request, round)));
            }
            List<Object> answers = concurrently(partyCalls);
            List<Callable<Object>> headCalls = new ArrayList<>();
            instances(6, split::headScoring).forEach(h -> headCalls.add(() -> h.advance(store, request, round)));
            List<Object> settled = concurrently(headCalls);

            assertThat(answers).filteredOn(a -> a == PartyScoring.Result.EMBEDDED).hasSizeLessThanOrEqualTo(2);
            assertThat(settled).allSatisfy(p -> assertThat(p).isInstanceOf(HeadScoring.Progress.Settled.class));
            ScoringOutcome outcome = ScoringOutcome.read(store, TwoPartySplit.MODEL, "score-1").orElseThrow();
            assertThat(outcome.status()).as(outcome.reason()).isEqualTo(ScoringOutcome.Status.DONE);
            assertThat(settled).allSatisfy(p -> assertThat(((HeadScoring.Progress.Settled) p).outcome())
                    .isEqualTo(outcome));
            assertThat(store.list("models/churn/scorings/score-1/").stream().map(StoredObject::key).toList())
                    .containsExactlyInAnyOrder("models/churn/scorings/score-1/request.json",
                            "models/churn/scorings/score-1/embeddings/alpha.safetensors",
                            "models/churn/scorings/score-1/embeddings/beta.safetensors",
                            "models/churn/scorings/score-1/scores.safetensors",
                            "models/churn/scorings/score-1/outcome.json");
            float[] scores = HeadScoring.readScores(store, request, round,
                    split.keys.get(VerticalRound.GOVERNANCE).verifier());
            // The request orders entities by pseudonym; the split's pseudonyms are sorted, so by position.
            int[] inRequestOrder = Arrays.stream(rows).sorted().toArray();
            float[] expected = split.forwardPass(store, round, inRequestOrder);
            assertThat(scores).hasSize(rows.length);
            for (int i = 0; i < rows.length; i++) {
                assertThat(scores[i]).as("score of position %d", inRequestOrder[i]).isCloseTo(expected[i],
                        org.assertj.core.data.Offset.offset(1e-6f));
            }
            // Not vacuous: the entities get different scores.
            assertThat(scores[0]).isNotEqualTo(scores[1]);
        }
    }

    @Test
    void aScoringThatCannotBeAnsweredFailsWithTheReasonAndStoresNoScores() throws Exception {
        // Prepare: a completed round of 2 windows in memory.
        TwoPartySplit split = new TwoPartySplit(32, 7);
        WindowPlan plan = split.plan(16);
        VerticalRound round = split.round(1, plan, DEADLINE, Optimiser.sgd(0.1f));
        InMemoryObjectStore store = new InMemoryObjectStore("scoring-failures");
        StepDelivery.run(store, round, List.of(split.head(plan, Clock.fixed(START, ZoneOffset.UTC))),
                List.of(List.of(split.bottom("alpha", plan)), List.of(split.bottom("beta", plan))));
        List<String> known = List.of(split.pseudonyms.get(3), split.pseudonyms.get(9));
        String stranger = "f".repeat(64);
        PartyScoring alpha = split.partyScoring("alpha");
        PartyScoring beta = split.partyScoring("beta");
        HeadScoring head = split.headScoring();

        // An empty batch or a malformed pseudonym is no request at all (nothing can be stored).
        assertThatThrownBy(() -> ScoringRequest.of(TwoPartySplit.MODEL, "s0", "psi-1", 1, List.of()))
                .hasMessageContaining("no pseudonym");
        assertThatThrownBy(() -> ScoringRequest.of(TwoPartySplit.MODEL, "s0", "psi-1", 1, List.of("Alice")))
                .hasMessageContaining("pseudonyms[0] is not a pseudonym");

        // An unknown pseudonym: the party refuses (a count, not the pseudonym), the head fails the scoring.
        ScoringRequest unknown = ScoringRequest.of(TwoPartySplit.MODEL, "s1", "psi-1", 1,
                List.of(known.get(0), stranger, known.get(1)));
        assertThat(alpha.answer(store, unknown, round)).isEqualTo(PartyScoring.Result.REFUSED);
        ScoringOutcome failed = settled(head.advance(store, unknown, round));
        assertThat(failed.status()).isEqualTo(ScoringOutcome.Status.FAILED);
        assertThat(failed.reason()).isEqualTo("party 'alpha' refused: party 'alpha' holds no entity for 1 of the 3"
                + " pseudonyms of scoring 's1' (PSI session 'psi-1')");
        assertThat(failed.reason()).doesNotContain(stranger);
        assertNoScores(store, "s1");

        // A party that has not answered yet: the head waits, naming it, and stores nothing.
        ScoringRequest pending = ScoringRequest.of(TwoPartySplit.MODEL, "s2", "psi-1", 1, known);
        assertThat(alpha.answer(store, pending, round)).isEqualTo(PartyScoring.Result.EMBEDDED);
        assertThat(head.advance(store, pending, round)).isEqualTo(new HeadScoring.Progress.Waiting(List.of("beta")));
        assertThat(ScoringOutcome.read(store, TwoPartySplit.MODEL, "s2")).isEmpty();

        // A stale embedding: beta's answer to another request (same entities, another scoring) under s2's key.
        ScoringRequest other = ScoringRequest.of(TwoPartySplit.MODEL, "s3", "psi-1", 1, known);
        assertThat(beta.answer(store, other, round)).isEqualTo(PartyScoring.Result.EMBEDDED);
        store.put("models/churn/scorings/s2/embeddings/beta.safetensors",
                store.read("models/churn/scorings/s3/embeddings/beta.safetensors"), Map.of());
        ScoringOutcome stale = settled(head.advance(store, pending, round));
        assertThat(stale.status()).isEqualTo(ScoringOutcome.Status.FAILED);
        assertThat(stale.reason()).contains("embeddings/beta.safetensors").contains("its batch is '"
                + other.digest() + "', expected '" + pending.digest() + "'");
        assertNoScores(store, "s2");

        // A forged embedding: alpha's embedding of s3 signed by beta's key is refused as not alpha's.
        store.put("models/churn/scorings/s3/embeddings/alpha.safetensors",
                store.read("models/churn/scorings/s3/embeddings/beta.safetensors"), Map.of());
        ScoringOutcome forged = settled(head.advance(store, other, round));
        assertThat(forged.reason()).contains("embeddings/alpha.safetensors").contains("signature is not alpha's");
        assertNoScores(store, "s3");

        // An unknown version: round 2 never completed; both sides refuse it.
        VerticalRound second = round.next(DEADLINE);
        ScoringRequest unknownVersion = ScoringRequest.of(TwoPartySplit.MODEL, "s4", "psi-1", 2, known);
        assertThat(beta.answer(store, unknownVersion, second)).isEqualTo(PartyScoring.Result.REFUSED);
        ScoringOutcome noVersion = settled(head.advance(store, unknownVersion, second));
        assertThat(noVersion.reason()).contains("round 2 of model 'churn' has not completed");
        assertThat(store.objects().keySet()).filteredOn(k -> k.contains("/scorings/s4/"))
                .containsExactlyInAnyOrder("models/churn/scorings/s4/refusals/beta.json",
                        "models/churn/scorings/s4/outcome.json");

        // The first outcome stays: a later complete set of answers does not turn a failed scoring into scores.
        assertThat(beta.answer(store, unknown, round)).isEqualTo(PartyScoring.Result.REFUSED);
        assertThat(settled(head.advance(store, unknown, round))).isEqualTo(failed);
        assertNoScores(store, "s1");
    }

    private static ScoringOutcome settled(HeadScoring.Progress progress) {
        assertThat(progress).isInstanceOf(HeadScoring.Progress.Settled.class);
        return ((HeadScoring.Progress.Settled) progress).outcome();
    }

    private static void assertNoScores(InMemoryObjectStore store, String scoring) {
        assertThat(store.objects().keySet()).noneMatch(k -> k.equals("models/churn/scorings/" + scoring
                + "/scores.safetensors"));
    }

    private static List<Object> concurrently(List<Callable<Object>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Object> results = new ArrayList<>();
            for (Future<Object> future : pool.invokeAll(calls)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingDomainKeepsTheWindowOpenUntilTheDeadlineThenTheRoundFailsNamingIt() {
        // Prepare: beta never sends its embeddings of window 0.
        TwoPartySplit split = new TwoPartySplit(32, 5);
        WindowPlan plan = split.plan(16);
        MovableClock clock = new MovableClock(START);
        VerticalRound round = split.round(1, plan, DEADLINE, Optimiser.sgd(0.1f));
        InMemoryObjectStore store = new InMemoryObjectStore("deadline");
        HeadStep head = split.head(plan, clock);
        BottomStep alpha = split.bottom("alpha", plan);
        head.begin(store, round);
        alpha.begin(store, round);

        // Execute: alpha's embedding event before the deadline, a sweep at it, a sweep after it.
        StepOutcome beforeDeadline = head.advance(store, round, 0);
        clock.now = DEADLINE;
        Optional<RoundOutcome> atDeadline = DeadlineSweep.sweep(store, round, clock.instant(), split.headSigner(),
                split.headKey());
        clock.now = DEADLINE.plusSeconds(1);
        Optional<RoundOutcome> afterDeadline = DeadlineSweep.sweep(store, round, clock.instant(), split.headSigner(),
                split.headKey());
        // beta arrives late: its embedding is stored, but the head steps nothing any more.
        BottomStep beta = split.bottom("beta", plan);
        beta.begin(store, round);
        StepOutcome late = head.advance(store, round, 0);

        // Assert
        assertThat(beforeDeadline).isInstanceOf(StepOutcome.Waiting.class);
        assertThat(((StepOutcome.Waiting) beforeDeadline).missing())
                .containsExactly("models/churn/vrounds/1/steps/0/embeddings/beta.safetensors");
        assertThat(atDeadline).isEmpty();
        RoundOutcome failed = afterDeadline.orElseThrow();
        assertThat(failed.status()).isEqualTo(RoundOutcome.Status.FAILED);
        assertThat(failed.missing()).containsExactly("beta");
        assertThat(failed.window()).isZero();
        assertThat(failed.reason()).contains("beta").contains("window 0").contains("deadline");
        assertThat(late).isEqualTo(new StepOutcome.RoundOver(failed));
        assertThat(store.objects().keySet()).noneMatch(k -> k.contains("/gradients/") || k.endsWith("/head/1.safetensors"));
        assertThat(RoundOutcome.read(store, "churn", 1, split.headKey())).contains(failed);
    }

    @Test
    void theRoundAfterAFailedOneStartsFromTheStateTheFailedOneStartedWithEvenForThePartyItFailedWithout() {
        TwoPartySplit split = new TwoPartySplit(32, 5);
        WindowPlan plan = split.plan(16);
        MovableClock clock = new MovableClock(START);
        VerticalRound first = split.round(1, plan, DEADLINE, Optimiser.sgd(0.1f));
        InMemoryObjectStore store = new InMemoryObjectStore("after-failure");
        HeadStep head = split.head(plan, clock);
        BottomStep alpha = split.bottom("alpha", plan);
        head.begin(store, first);
        alpha.begin(store, first);
        clock.now = DEADLINE.plusSeconds(1);
        DeadlineSweep.sweep(store, first, clock.instant(), split.headSigner(), split.headKey());

        VerticalRound second = first.next(DEADLINE.plus(Duration.ofMinutes(10)));
        // The head rotated its key between the rounds: round 2's steps know the new key, round 1's outcome carries the
        // old one's signature. Checked with the new key it is refused (what blocked the next round); checked with the
        // key of round 1, as the deployment passes it, alpha begins round 2.
        io.meshfl.core.update.SignatureVerifier rotated = io.meshfl.core.update.DomainKeyPair.generate().verifier();
        try (io.meshfl.vertical.split.BottomModel model = new io.meshfl.vertical.split.BottomModel("alpha",
                TwoPartySplit.ALPHA_COLUMNS, TwoPartySplit.ALPHA_LAYERS)) {
            BottomStep alphaWithRotatedKey = new BottomStep("alpha", plan, new AlignedColumns(split.pseudonyms,
                    TwoPartySplit.ALPHA_COLUMNS, split.columns(0, TwoPartySplit.ALPHA_COLUMNS)), model,
                    split.signer("alpha"), rotated, java.time.Clock.systemUTC());
            assertRefused(() -> alphaWithRotatedKey.begin(store, second), "signature");
            assertThat(alphaWithRotatedKey.begin(store, second, HeadKeys.always(split.headKey()))).isEmpty();
        }
        assertThat(head.begin(store, second)).isEmpty();
        assertThat(alpha.begin(store, second)).isEmpty();

        assertSameState(store, store, second.headStateKey(2, 0), first.headStateKey(1, 0));
        assertSameState(store, store, second.bottomStateKey("alpha", 2, 0), first.bottomStateKey("alpha", 1, 0));
        // beta, the party round 1 failed without, never stored a state of it: it begins round 2 from what round 1
        // started from (the initial parameters, as a fresh beta begins round 1) instead of waiting for ever.
        InMemoryObjectStore fresh = new InMemoryObjectStore("fresh");
        assertThat(split.bottom("beta", plan).begin(fresh, first)).isEmpty();
        assertThat(split.bottom("beta", plan).begin(store, second)).isEmpty();
        assertThat(store.head(first.bottomStateKey("beta", 1, 0))).isEmpty();
        assertSameState(store, fresh, second.bottomStateKey("beta", 2, 0), first.bottomStateKey("beta", 1, 0));
    }

    @Test
    void anOutcomeTheHeadOwnerDidNotSignForThisRoundIsRefusedByEveryReader() {
        // Prepare: round 1 began on every side; genuine outcomes of another store to copy and alter.
        TwoPartySplit split = new TwoPartySplit(32, 5);
        WindowPlan plan = split.plan(16);
        MovableClock clock = new MovableClock(START);
        VerticalRound first = split.round(1, plan, DEADLINE, Optimiser.sgd(0.1f));
        VerticalRound second = first.next(DEADLINE.plus(Duration.ofMinutes(10)));
        InMemoryObjectStore store = new InMemoryObjectStore("forged-outcome");
        HeadStep head = split.head(plan, clock);
        BottomStep alpha = split.bottom("alpha", plan);
        head.begin(store, first);
        alpha.begin(store, first);
        InMemoryObjectStore genuine = new InMemoryObjectStore("genuine");
        new RoundOutcome("churn", 1, RoundOutcome.Status.FAILED, 0, List.of("beta"), "at the deadline")
                .settle(genuine, split.headSigner(), split.headKey());
        byte[] signedForRound1 = genuine.objects().get(first.outcomeKey()).content();
        String text = new String(signedForRound1, StandardCharsets.UTF_8);
        InMemoryObjectStore byBeta = new InMemoryObjectStore("by-beta");
        new RoundOutcome("churn", 1, RoundOutcome.Status.FAILED, 0, List.of("beta"), "by beta")
                .settle(byBeta, split.signer("beta"), split.headKey());
        byte[] signedByAParty = byBeta.objects().get(first.outcomeKey()).content();
        clock.now = DEADLINE.plusSeconds(1);

        // Execute and assert: a FAILED outcome signed by a party, read by the head's sweep, the party's gradient step
        // and the next round's start on both sides.
        store.put(first.outcomeKey(), signedByAParty, Map.of());
        assertRefused(() -> head.advance(store, first, 0), "signature");
        assertRefused(() -> alpha.onGradient(store, first, 0), "signature");
        assertRefused(() -> head.begin(store, second), "signature");
        assertRefused(() -> alpha.begin(store, second), "signature");
        // Unsigned, or the genuine one with its status flipped.
        store.put(first.outcomeKey(), text.replaceAll(",\\s*\"signature\"\\s*:\\s*\"[^\"]*\"", "")
                .getBytes(StandardCharsets.UTF_8), Map.of());
        assertRefused(() -> alpha.begin(store, second), "signature");
        store.put(first.outcomeKey(), text.replace("FAILED", "COMPLETED").getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertRefused(() -> alpha.begin(store, second), "signature");
        // Nothing was stepped or started on the forged word.
        assertThat(store.objects().keySet()).noneMatch(k -> k.contains("/gradients/"))
                .doesNotContain(second.headStateKey(2, 0), second.bottomStateKey("alpha", 2, 0));
        // The head's genuine outcome of round 1, replayed as round 2's.
        store.put(second.outcomeKey(), signedForRound1, Map.of());
        assertRefused(() -> RoundOutcome.read(store, "churn", 2, split.headKey()), "round 1");
        // The genuine outcome reads back.
        store.put(first.outcomeKey(), signedForRound1, Map.of());
        assertThat(alpha.onGradient(store, first, 0)).isInstanceOf(StepOutcome.RoundOver.class);
    }

    private static void assertRefused(Runnable read, String because) {
        assertThatThrownBy(read::run)
                .isInstanceOf(StepTensors.StepRejectedException.class)
                .hasMessageContaining("outcome.json").hasMessageContaining(because);
    }

    private static <T> List<T> instances(int count, java.util.function.Supplier<T> factory) {
        List<T> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(factory.get());
        }
        return list;
    }

    private static void assertSameState(ObjectStore actual, ObjectStore expected, String key) {
        assertSameState(actual, expected, key, key);
    }

    private static void assertSameState(ObjectStore actual, ObjectStore expected, String actualKey, String expectedKey) {
        ParameterState a = ParameterState.read(actual, actualKey);
        ParameterState e = ParameterState.read(expected, expectedKey);
        assertThat(a.steps()).isEqualTo(e.steps());
        assertThat(a.parameters()).hasSameSizeAs(e.parameters());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i)).as("%s parameter %d", actualKey, i).containsExactly(e.parameters().get(i));
        }
    }

    /** A clock the test moves (time is a dependency). */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
