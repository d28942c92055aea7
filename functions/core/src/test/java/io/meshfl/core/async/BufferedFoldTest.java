package io.meshfl.core.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.FedAvgM;
import io.meshfl.core.strategy.InMemoryAggregation;
import io.meshfl.core.strategy.InMemoryWeights;
import io.meshfl.core.strategy.ServerState;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A closed buffer folded into the next version, on a two-parameter model computed by hand: the strategies see each
 * update as current + w·(update − base).
 */
class BufferedFoldTest {

    // global v1 = [0, 0], v2 = [1, 1] (current); polynomial a = 1: s = 0 → 1, s = 1 → 1/2
    private static final float[] V1 = {0f, 0f};
    private static final float[] V2 = {1f, 1f};
    private static final StalenessWeight WEIGHT = StalenessWeight.of("p", "polynomial", 1.0, null);

    private static List<ClientUpdate> buffer() {
        // fresh: trained from v2 → [3, 1] (Δ = [2, 0]), 100 examples
        // stale: trained from v1 → [0, 4] (Δ = [0, 4]), 300 examples, one version behind
        return List.of(
                new ClientUpdate("fresh", 100, new StaleUpdate(new InMemoryWeights(V2), new InMemoryWeights(V2),
                        new InMemoryWeights(new float[] {3f, 1f}), WEIGHT.weight(0))),
                new ClientUpdate("stale", 300, new StaleUpdate(new InMemoryWeights(V2), new InMemoryWeights(V1),
                        new InMemoryWeights(new float[] {0f, 4f}), WEIGHT.weight(1))));
    }

    @Test
    void fedAvgAddsTheExampleWeightedMeanOfStalenessScaledDeltas() throws IOException {
        // Execute
        float[] next = InMemoryAggregation.aggregate(new FedAvg(), V2, buffer(), ServerState.empty()).model();

        // Assert: v3 = v2 + ¼·1·[2, 0] + ¾·½·[0, 4] = [1, 1] + [0.5, 0] + [0, 1.5] = [1.5, 2.5]
        assertThat(next[0]).isCloseTo(1.5f, within(1e-6f));
        assertThat(next[1]).isCloseTo(2.5f, within(1e-6f));
    }

    @Test
    void serverMomentumStepsOnTheBufferedDelta() throws IOException {
        // Execute: FedAvgM, η = 0.5, no momentum yet
        float[] next = InMemoryAggregation.aggregate(new FedAvgM(0.5, 0.9), V2, buffer(), ServerState.empty()).model();

        // Assert: buffered delta [0.5, 1.5]; v3 = v2 + 0.5·[0.5, 1.5] = [1.25, 1.75]
        assertThat(next[0]).isCloseTo(1.25f, within(1e-6f));
        assertThat(next[1]).isCloseTo(1.75f, within(1e-6f));
    }

    @Test
    void anUpdateTrainedFromTheCurrentModelWithFullWeightIsItself() throws IOException {
        StaleUpdate same = new StaleUpdate(new InMemoryWeights(V2), new InMemoryWeights(V2),
                new InMemoryWeights(new float[] {0.1f, -7.25f}), 1.0);
        float[] read = new float[2];

        same.read(0, read, 0, 2);

        assertThat(read).containsExactly(0.1f, -7.25f);
    }
}
