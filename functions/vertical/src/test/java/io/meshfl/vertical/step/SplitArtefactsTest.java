package io.meshfl.vertical.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.training.TestEngine;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.psi.InMemoryObjectStore;
import io.meshfl.vertical.psi.PsiRun;
import io.meshfl.vertical.psi.PsiSession;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.split.HeadModel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole vertical round as deployed — private set intersection, then every step through the store — leaves no raw
 * entity id anywhere in the store: not in a key, a content or a metadata entry.
 */
class SplitArtefactsTest {

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    @Test
    void storedArtefactsOfPsiAndTrainingContainNoRawId() {
        // Prepare: alpha holds customers 0..39, beta 10..49, the governance side the labels of 0..49; each in its own
        // order. Ids are distinctive strings, so any occurrence in stored bytes is a leak, not a coincidence.
        List<String> alphaIds = shuffled(ids(0, 40), 1);
        List<String> betaIds = shuffled(ids(10, 50), 2);
        List<String> labelIds = shuffled(ids(0, 50), 3);
        PsiSession session = new PsiSession("churn", "s1", List.of("alpha", "beta", VerticalRound.GOVERNANCE));
        InMemoryObjectStore store = new InMemoryObjectStore("leak");
        Map<String, EntityAlignment> aligned = PsiRun.untilAligned(store, PsiRun.parties(session,
                Map.of("alpha", alphaIds, "beta", betaIds, VerticalRound.GOVERNANCE, labelIds), 4));
        List<String> pseudonyms = aligned.get("alpha").pseudonyms();
        Random random = new Random(5);
        Map<String, DomainKeyPair> keys = Map.of("alpha", DomainKeyPair.generate(), "beta", DomainKeyPair.generate(),
                VerticalRound.GOVERNANCE, DomainKeyPair.generate());
        float[] labels = new float[pseudonyms.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextBoolean() ? 1 : 0;
        }
        int[] train = new int[pseudonyms.size()];
        for (int i = 0; i < train.length; i++) {
            train[i] = i;
        }
        WindowPlan plan = new WindowPlan(train, 8, 6);
        VerticalRound round = new VerticalRound("churn", 1, List.of("alpha", "beta"), VerticalRound.GOVERNANCE,
                plan.windows(), Instant.parse("2100-01-01T00:00:00Z"), Optimiser.adam(0.01f));
        HeadStep head = new HeadStep(plan, new AlignedLabels(pseudonyms, labels),
                new HeadModel(List.of(2, 2), List.of(3, 1)), keys.get(VerticalRound.GOVERNANCE).signer(),
                keys.get(VerticalRound.GOVERNANCE).verifier(),
                Map.of("alpha", keys.get("alpha").verifier(), "beta", keys.get("beta").verifier()), Clock.systemUTC());
        List<BottomStep> bottoms = List.of(bottom("alpha", aligned, plan, keys), bottom("beta", aligned, plan, keys));

        // Execute: the whole round.
        List<StepOutcome> outcomes = new ArrayList<>();
        try {
            outcomes = StepDelivery.run(store, round, List.of(head), List.of(List.of(bottoms.get(0)),
                    List.of(bottoms.get(1))));
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        // Assert: the round ran over the 30 common entities, and no stored byte string holds an id.
        assertThat(pseudonyms).hasSize(30);
        assertThat(outcomes.stream().filter(o -> o instanceof StepOutcome.Applied)).hasSize(plan.windows() * 3);
        assertThat(store.objects().keySet()).anyMatch(k -> k.contains("/gradients/beta"));
        List<byte[]> forbidden = ids(0, 50).stream().map(id -> id.getBytes(StandardCharsets.UTF_8)).toList();
        store.objects().forEach((key, entry) -> {
            List<byte[]> stored = new ArrayList<>(List.of(key.getBytes(StandardCharsets.UTF_8), entry.content()));
            entry.metadata().forEach((name, value) -> stored.add((name + value).getBytes(StandardCharsets.UTF_8)));
            for (byte[] haystack : stored) {
                for (byte[] id : forbidden) {
                    assertThat(contains(haystack, id)).as("%s contains the raw id %s", key,
                            new String(id, StandardCharsets.UTF_8)).isFalse();
                }
            }
        });
        // The scan can fail: the same search finds an id where one is.
        assertThat(contains(("x" + ids(7, 8).get(0) + "y").getBytes(StandardCharsets.UTF_8), forbidden.get(7))).isTrue();
    }

    /** A party's bottom step on its own columns of its aligned rows: each row's feature is derived from its own row. */
    private static BottomStep bottom(String party, Map<String, EntityAlignment> aligned, WindowPlan plan,
            Map<String, DomainKeyPair> keys) {
        EntityAlignment alignment = aligned.get(party);
        float[] values = new float[alignment.size() * 2];
        for (int i = 0; i < alignment.size(); i++) {
            values[2 * i] = alignment.rows().get(i) / 10f;
            values[2 * i + 1] = (alignment.rows().get(i) % 3) - 1;
        }
        return new BottomStep(party, plan, new AlignedColumns(alignment.pseudonyms(), 2, values),
                new BottomModel(party, 2, List.of(4, 2)), keys.get(party).signer(),
                keys.get(VerticalRound.GOVERNANCE).verifier(), Clock.systemUTC());
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(String.format("cust-%06d@bank.example", i));
        }
        return ids;
    }

    private static List<String> shuffled(List<String> ids, long seed) {
        List<String> copy = new ArrayList<>(ids);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
