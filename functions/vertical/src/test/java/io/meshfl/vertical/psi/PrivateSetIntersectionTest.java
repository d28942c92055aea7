package io.meshfl.vertical.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.vertical.hashtocurve.P256HashToCurve;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class PrivateSetIntersectionTest {

    private final InMemoryObjectStore store = new InMemoryObjectStore("federation");

    @Test
    void twoPartiesWithPartlyOverlappingKeysInDifferentOrdersAlignExactlyTheCommonKeys() {
        // Prepare: 0..59 at alpha, 40..99 at beta, each shuffled differently: 40..59 are common.
        List<String> alpha = shuffled(ids(0, 60), 1);
        List<String> beta = shuffled(ids(40, 100), 2);

        Map<String, List<String>> aligned = run("s1", Map.of("alpha", alpha, "beta", beta));

        assertThat(aligned.get("alpha")).containsExactlyInAnyOrderElementsOf(ids(40, 60));
        assertThat(aligned.get("beta")).isEqualTo(aligned.get("alpha"));
    }

    @Test
    void threePartiesAlignOnlyWhatAllThreeHoldInOneCommonOrder() {
        // alpha 0..99, beta 50..149, gamma {even numbers 0..198}: all three hold the even numbers 50..98.
        List<String> alpha = shuffled(ids(0, 100), 3);
        List<String> beta = shuffled(ids(50, 150), 4);
        List<String> gamma = shuffled(IntStream.range(0, 100).map(i -> 2 * i).mapToObj(PrivateSetIntersectionTest::id)
                .toList(), 5);

        Map<String, List<String>> aligned = run("s3", Map.of("alpha", alpha, "beta", beta, "gamma", gamma));

        List<String> expected = IntStream.range(50, 100).filter(i -> i % 2 == 0)
                .mapToObj(PrivateSetIntersectionTest::id).toList();
        assertThat(aligned.get("alpha")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(aligned.get("beta")).isEqualTo(aligned.get("alpha"));
        assertThat(aligned.get("gamma")).isEqualTo(aligned.get("alpha"));
    }

    @Test
    void randomSetsOfThreePartiesAlignExactlyTheirIntersection() {
        // Prepare: each party holds each of 3,000 ids with probability 0.7, in its own random order.
        Random random = new Random(99);
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String party : List.of("alpha", "beta", "gamma")) {
            keys.put(party, shuffled(ids(0, 3000).stream().filter(id -> random.nextDouble() < 0.7).toList(),
                    random.nextLong()));
        }
        Set<String> expected = new HashSet<>(keys.get("alpha"));
        expected.retainAll(keys.get("beta"));
        expected.retainAll(keys.get("gamma"));

        long start = System.nanoTime();
        Map<String, List<String>> aligned = run("random", keys);
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("PSI of 3 parties, %d/%d/%d keys, intersection %d: %d ms (one thread, in memory)%n",
                keys.get("alpha").size(), keys.get("beta").size(), keys.get("gamma").size(), expected.size(), millis);
        assertThat(aligned.get("alpha")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(aligned.get("beta")).isEqualTo(aligned.get("alpha"));
        assertThat(aligned.get("gamma")).isEqualTo(aligned.get("alpha"));
    }

    @Test
    void identicalSetsAlignEveryKey() {
        Map<String, List<String>> aligned = run("same", Map.of(
                "alpha", shuffled(ids(0, 30), 6), "beta", shuffled(ids(0, 30), 7)));

        assertThat(aligned.get("alpha")).containsExactlyInAnyOrderElementsOf(ids(0, 30));
        assertThat(aligned.get("beta")).isEqualTo(aligned.get("alpha"));
    }

    @Test
    void disjointSetsAlignNothing() {
        Map<String, List<String>> aligned = run("apart", Map.of("alpha", ids(0, 20), "beta", ids(20, 40)));

        assertThat(aligned.get("alpha")).isEmpty();
        assertThat(aligned.get("beta")).isEmpty();
    }

    @Test
    void anEmptySetAlignsNothingAndTwoEmptySetsComplete() {
        assertThat(run("one-empty", Map.of("alpha", List.of(), "beta", ids(0, 10))).values())
                .allSatisfy(keys -> assertThat(keys).isEmpty());
        assertThat(run("both-empty", Map.of("alpha", List.of(), "beta", List.of())).values())
                .allSatisfy(keys -> assertThat(keys).isEmpty());
    }

    @Test
    void aDuplicateEntityKeyIsRefusedNamingItsRowsAndNothingIsStored() {
        List<String> withDuplicate = List.of(id(1), id(2), id(3), id(2));

        assertThatThrownBy(() -> run("dup", Map.of("alpha", withDuplicate, "beta", ids(0, 5))))
                .isInstanceOf(EntityKeys.DuplicateEntityKeyException.class)
                .hasMessageContaining("row 3 repeats the key of row 1")
                .hasMessageNotContaining(id(2));
        assertThat(store.objects()).isEmpty();
    }

    @Test
    void eachPartyGetsOnlyItsOwnRowsWhichHoldTheCommonKeys() {
        List<String> alpha = shuffled(ids(0, 40), 8);
        List<String> beta = shuffled(ids(30, 70), 9);
        PsiSession session = new PsiSession("churn", "rows", List.of("alpha", "beta"));
        Map<String, List<String>> keys = Map.of("alpha", alpha, "beta", beta);

        Map<String, EntityAlignment> alignments = PsiRun.untilAligned(store, PsiRun.parties(session, keys, 10));

        EntityAlignment a = alignments.get("alpha");
        EntityAlignment b = alignments.get("beta");
        assertThat(a.pseudonyms()).isEqualTo(b.pseudonyms()).isSorted().doesNotHaveDuplicates();
        assertThat(a.rows()).allSatisfy(row -> assertThat(row).isBetween(0, alpha.size() - 1));
        for (int i = 0; i < a.size(); i++) {
            assertThat(alpha.get(a.rows().get(i))).isEqualTo(beta.get(b.rows().get(i)));
        }
    }

    @Test
    void repeatedAndDuplicatedStepsWriteNothingNewAndGiveTheSameAlignment() {
        PsiSession session = new PsiSession("churn", "again", List.of("alpha", "beta", "gamma"));
        Map<String, List<String>> keys = Map.of("alpha", ids(0, 10), "beta", ids(5, 15), "gamma", ids(0, 15));
        Map<String, PsiParty> parties = PsiRun.parties(session, keys, 11);
        Map<String, EntityAlignment> first = PsiRun.untilAligned(store, parties);
        Map<String, InMemoryObjectStore.Entry> stored = store.objects();
        int puts = store.puts();

        // A redelivered event, or a party restarted with the same key, runs the same steps again.
        Map<String, EntityAlignment> again = PsiRun.untilAligned(store, PsiRun.parties(session, keys, 11));

        assertThat(again).isEqualTo(first);
        assertThat(store.puts()).isEqualTo(puts);
        assertThat(store.objects()).containsOnlyKeys(stored.keySet());
        assertThat(store.list(PsiKeys.sessionPrefix("churn", "again"))).hasSize(3 * 3);
    }

    @Test
    void aPartyWaitsNamingTheObjectsItNeedsUntilTheOthersHaveWritten() {
        PsiSession session = new PsiSession("churn", "wait", List.of("alpha", "beta"));
        Map<String, PsiParty> parties = PsiRun.parties(session, Map.of("alpha", ids(0, 3), "beta", ids(1, 4)), 12);

        PsiProgress progress = parties.get("alpha").advance(store);

        assertThat(progress).isInstanceOf(PsiProgress.Waiting.class);
        assertThat(((PsiProgress.Waiting) progress).missing()).contains(
                PsiKeys.blindedSet(session, "beta", 1), PsiKeys.blindedSet(session, "alpha", 2));
        assertThat(store.objects()).containsOnlyKeys(PsiKeys.blindedSet(session, "alpha", 1));
    }

    @Test
    void anotherSessionGivesTheSameEntitiesUnrelatedPseudonyms() {
        Map<String, List<String>> keys = Map.of("alpha", ids(0, 10), "beta", ids(0, 10));
        Map<String, EntityAlignment> one = PsiRun.untilAligned(store,
                PsiRun.parties(new PsiSession("churn", "one", List.of("alpha", "beta")), keys, 13));
        Map<String, EntityAlignment> two = PsiRun.untilAligned(store,
                PsiRun.parties(new PsiSession("churn", "two", List.of("alpha", "beta")), keys, 13));

        assertThat(one.get("alpha").pseudonyms()).doesNotContainAnyElementsOf(two.get("alpha").pseudonyms());
    }

    @Test
    void aCorruptedBlindedSetIsRefusedNamingItsKey() {
        PsiSession session = new PsiSession("churn", "corrupt", List.of("alpha", "beta"));
        Map<String, PsiParty> parties = PsiRun.parties(session, Map.of("alpha", ids(0, 3), "beta", ids(1, 4)), 14);
        parties.get("alpha").advance(store);
        String key = PsiKeys.blindedSet(session, "alpha", 1);
        byte[] truncated = java.util.Arrays.copyOf(store.read(key), 40);
        store.put(key, truncated, Map.of());

        assertThatThrownBy(() -> parties.get("beta").advance(store))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("announces 3 points");
    }

    /**
     * What the parties store must not reveal ids: scan every object's bytes, metadata and key for each raw id (as
     * UTF-8) and for every id's unblinded hash-to-curve point, in compressed and uncompressed form and as its bare
     * x coordinate.
     */
    @Test
    void storedObjectsContainNoRawIdAndNoUnblindedHashOfAnId() {
        PsiSession session = new PsiSession("churn", "leak", List.of("alpha", "beta", "gamma"));
        Map<String, List<String>> keys = Map.of(
                "alpha", shuffled(ids(0, 50), 15), "beta", shuffled(ids(25, 75), 16), "gamma", ids(0, 100));
        PsiRun.untilAligned(store, PsiRun.parties(session, keys, 17));
        P256HashToCurve hash = new P256HashToCurve(session.dst());
        List<byte[]> forbidden = new ArrayList<>();
        for (String id : ids(0, 100)) {
            forbidden.add(id.getBytes(StandardCharsets.UTF_8));
            ECPoint point = hash.hashToCurve(id.getBytes(StandardCharsets.UTF_8));
            forbidden.add(point.getEncoded(true));
            forbidden.add(point.getEncoded(false));
            forbidden.add(point.getAffineXCoord().getEncoded());
        }

        assertThat(store.objects()).hasSize(9);
        store.objects().forEach((key, entry) -> {
            List<byte[]> stored = new ArrayList<>();
            stored.add(key.getBytes(StandardCharsets.UTF_8));
            stored.add(entry.content());
            entry.metadata().forEach((name, value) -> stored.add((name + value).getBytes(StandardCharsets.UTF_8)));
            for (byte[] haystack : stored) {
                for (byte[] needle : forbidden) {
                    assertThat(indexOf(haystack, needle)).as("%s contains a raw id or unblinded point", key)
                            .isEqualTo(-1);
                }
            }
        });
    }

    @Test
    void theScanFindsAnIdOrAnUnblindedPointWhenOneIsStored() {
        // Proves the scan above can fail: the same search over an object that does contain them.
        String id = id(7);
        byte[] point = new P256HashToCurve("MeshFL-test").hashToCurve(id.getBytes(StandardCharsets.UTF_8))
                .getEncoded(true);
        byte[] leaky = new byte[100];
        System.arraycopy(point, 0, leaky, 50, point.length);
        System.arraycopy(id.getBytes(StandardCharsets.UTF_8), 0, leaky, 3, id.length());

        assertThat(indexOf(leaky, point)).isEqualTo(50);
        assertThat(indexOf(leaky, id.getBytes(StandardCharsets.UTF_8))).isEqualTo(3);
    }

    @Test
    void sessionsRefuseBadIdsTooFewPartiesAndStrangers() {
        assertThatThrownBy(() -> new PsiSession("churn", "s", List.of("alpha")))
                .hasMessageContaining("at least two parties");
        assertThatThrownBy(() -> new PsiSession("churn", "s", List.of("alpha", "alpha")))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> new PsiSession("churn", "a/b", List.of("alpha", "beta")))
                .hasMessageContaining("Invalid PSI session id 'a/b'");
        PsiSession session = new PsiSession("churn", "s", List.of("beta", "alpha"));
        assertThat(session.parties()).containsExactly("alpha", "beta");
        assertThat(session.blinder("beta", 2)).isEqualTo("alpha");
        assertThatThrownBy(() -> session.indexOf("mallory")).hasMessageContaining("'mallory' is not a party");
    }

    @Test
    void blindedSetKeysNameTheRingsBlinderAsWriterAndParseBack() {
        PsiSession session = new PsiSession("churn", "s1", List.of("alpha", "beta", "gamma"));
        String key = PsiKeys.blindedSet(session, "alpha", 3);

        // alpha's set: step 1 by alpha, step 2 by beta, step 3 by gamma.
        assertThat(key).isEqualTo("models/churn/vrounds/psi/s1/sets/alpha/3/gamma.points");
        PsiKeys.BlindedSetKey parsed = PsiKeys.parse(key).orElseThrow();
        assertThat(parsed).isEqualTo(new PsiKeys.BlindedSetKey("churn", "s1", "alpha", 3, "gamma"));
        assertThat(parsed.writtenByBlinderOf(session)).isTrue();
        assertThat(PsiKeys.parse("models/churn/vrounds/psi/s1/sets/alpha/3/beta.points").orElseThrow()
                .writtenByBlinderOf(session)).isFalse();
        assertThat(PsiKeys.parse("models/churn/rounds/1/updates/alpha.safetensors")).isEmpty();
        assertThat(PsiKeys.parse("models/churn/vrounds/psi/s1/sets/alpha/0/alpha.points")).isEmpty();
        assertThat(PsiKeys.parse("models/churn/vrounds/psi/s1/sets/alpha/3.points")).isEmpty();
    }

    @Test
    void aSetStoredUnderAnotherWriterThanTheRingsBlinderIsNeverRead() {
        PsiSession session = new PsiSession("churn", "forged", List.of("alpha", "beta"));
        Map<String, PsiParty> parties = PsiRun.parties(session, Map.of("alpha", ids(0, 3), "beta", ids(1, 4)), 15);
        parties.get("alpha").advance(store);
        // beta's own step-1 set, stored as if alpha had written it: beta is the only writer of step 1 of its set.
        String forged = ObjectKeys.psiBlindedSet("churn", "forged", "beta", 1, "alpha");
        store.put(forged, store.read(PsiKeys.blindedSet(session, "alpha", 1)), Map.of());

        PsiProgress progress = parties.get("alpha").advance(store);

        assertThat(progress).isInstanceOf(PsiProgress.Waiting.class);
        assertThat(((PsiProgress.Waiting) progress).missing()).contains(PsiKeys.blindedSet(session, "beta", 1));
        assertThat(store.objects()).doesNotContainKey(PsiKeys.blindedSet(session, "beta", 2));
    }

    private Map<String, List<String>> run(String sessionId, Map<String, List<String>> keysByParty) {
        PsiSession session = new PsiSession("churn", sessionId, new ArrayList<>(keysByParty.keySet()));
        Map<String, List<String>> ordered = new LinkedHashMap<>(keysByParty);
        Map<String, EntityAlignment> alignments = PsiRun.untilAligned(store, PsiRun.parties(session, ordered, 42));
        Map<String, List<String>> aligned = PsiRun.alignedKeys(alignments, ordered);
        Set<String> expected = new HashSet<>(keysByParty.values().iterator().next());
        keysByParty.values().forEach(expected::retainAll);
        assertThat(aligned.values()).allSatisfy(keys -> assertThat(keys).hasSize(expected.size()));
        return aligned;
    }

    static String id(int n) {
        return "customer-%06d".formatted(n);
    }

    static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(PrivateSetIntersectionTest::id).toList();
    }

    static List<String> shuffled(List<String> keys, long seed) {
        List<String> copy = new ArrayList<>(keys);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
