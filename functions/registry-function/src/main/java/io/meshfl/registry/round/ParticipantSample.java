package io.meshfl.registry.round;

import io.meshfl.registry.model.ModelDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who a round expects: every candidate (the model's active enrolled domains), or a sample of them drawn from the
 * model's training seed and the round number. The draw is reproducible (SplittableRandom's sequence is specified,
 * the candidates are sorted first), but nobody needs to repeat it: the round records the list it opened with.
 */
public final class ParticipantSample {

    private ParticipantSample() {
    }

    /**
     * The sorted domain ids expected in round {@code number}. {@code seed}: the model's training seed, or null
     * (then the model id stands in for it, so each model still draws its own sequence).
     */
    public static List<String> choose(List<String> candidates, ModelDefinition.Policy policy, String modelId,
                                      Long seed, int number) {
        List<String> sorted = candidates.stream().distinct().sorted().toList();
        int size = size(sorted.size(), policy);
        if (size >= sorted.size()) {
            return sorted;
        }
        long base = seed != null ? seed : modelId.hashCode();
        SplittableRandom random = new SplittableRandom(base * 0x9E3779B97F4A7C15L + number);
        List<String> pool = new ArrayList<>(sorted);
        // Partial Fisher–Yates: the first `size` places are a uniform sample without replacement.
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(pool.size() - i);
            String chosen = pool.get(j);
            pool.set(j, pool.get(i));
            pool.set(i, chosen);
        }
        return pool.subList(0, size).stream().sorted().toList();
    }

    /** How many of {@code available} domains a round expects (never fewer than the quorum, while there are as many). */
    static int size(int available, ModelDefinition.Policy policy) {
        if (policy.participants() != null) {
            return Math.min(available, policy.participants());
        }
        if (policy.participationFraction() != null) {
            int drawn = (int) Math.ceil(policy.participationFraction() * available);
            int quorum = policy.minDomains() == null ? 1 : policy.minDomains();
            return Math.min(available, Math.max(drawn, quorum));
        }
        return available;
    }
}
