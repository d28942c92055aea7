package io.meshfl.registry.round;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.registry.model.ModelDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The seeded draw of a round's expected domains: its size, its reproducibility, and that rounds differ. */
class ParticipantSampleTest {

    private static final List<String> TEN = IntStream.range(0, 10).mapToObj(i -> "domain-" + i).toList();

    private static ModelDefinition.Policy policy(Integer min, Integer participants, Double fraction) {
        return new ModelDefinition.Policy(min, null, 60L, null, null, null, null, participants, fraction, null);
    }

    @Test
    void withoutASampleEveryCandidateIsExpectedInOrder() {
        assertThat(ParticipantSample.choose(List.of("c", "a", "b"), policy(1, null, null), "m", 7L, 1))
                .containsExactly("a", "b", "c");
    }

    @Test
    void theSameSeedCandidatesAndRoundDrawTheSameSampleWhateverTheCandidatesOrder() {
        List<String> first = ParticipantSample.choose(TEN, policy(2, 4, null), "m", 7L, 3);
        List<String> shuffled = new java.util.ArrayList<>(TEN);
        java.util.Collections.reverse(shuffled);

        assertThat(ParticipantSample.choose(shuffled, policy(2, 4, null), "m", 7L, 3)).isEqualTo(first);
        assertThat(first).hasSize(4).isSorted().isSubsetOf(TEN).doesNotHaveDuplicates();
    }

    @Test
    void roundsAndSeedsDrawDifferentSamples() {
        Set<List<String>> byRound = new HashSet<>();
        Set<List<String>> bySeed = new HashSet<>();
        for (int i = 1; i <= 20; i++) {
            byRound.add(ParticipantSample.choose(TEN, policy(1, 3, null), "m", 7L, i));
            bySeed.add(ParticipantSample.choose(TEN, policy(1, 3, null), "m", (long) i, 1));
        }
        // 120 possible samples of 3 out of 10: twenty draws that all coincided would mean the input is ignored.
        assertThat(byRound).hasSizeGreaterThan(10);
        assertThat(bySeed).hasSizeGreaterThan(10);
    }

    @Test
    void aFractionIsRoundedUpAndNeverBelowTheQuorum() {
        assertThat(ParticipantSample.size(10, policy(1, null, 0.25))).isEqualTo(3);
        assertThat(ParticipantSample.size(10, policy(5, null, 0.25))).isEqualTo(5);
        assertThat(ParticipantSample.size(3, policy(5, null, 0.25))).isEqualTo(3);
        assertThat(ParticipantSample.size(3, policy(1, 8, null))).isEqualTo(3);
    }

    @Test
    void withoutASeedTheModelIdSeedsTheDraw() {
        assertThat(ParticipantSample.choose(TEN, policy(1, 5, null), "model-a", null, 1))
                .isEqualTo(ParticipantSample.choose(TEN, policy(1, 5, null), "model-a", null, 1));
    }
}
