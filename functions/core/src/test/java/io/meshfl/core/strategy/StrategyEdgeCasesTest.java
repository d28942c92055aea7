package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyEdgeCasesTest {

    @Test
    void fedAvgWeighsUpdatesByTheirExamples() throws IOException {
        // (1·2 + 3·6) / 4 = 5 and (1·0 + 3·4) / 4 = 3
        float[] model = Rounds.run(new FedAvg(), new float[2], List.of(new float[] {2, 0}, new float[] {6, 4}), 1, 3).model();

        assertThat(model).containsExactly(5f, 3f);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddlePair() throws IOException {
        float[] model = Rounds.run(new FedMedian(), new float[1],
                List.of(new float[] {9}, new float[] {1}, new float[] {4}, new float[] {2}), 1, 1, 1, 1).model();

        assertThat(model).containsExactly(3f);
    }

    @Test
    void trimmedMeanDropsTheExtremesOfEachCoordinate() throws IOException {
        // β = 0.2 with K = 5 cuts one value from each end: mean(2, 3, 4) = 3, whatever the outliers
        float[] model = Rounds.run(new FedTrimmedAvg(0.2), new float[1], List.of(new float[] {1000}, new float[] {3},
                new float[] {2}, new float[] {-1000}, new float[] {4}), 1, 1, 1, 1, 1).model();

        assertThat(model).containsExactly(3f);
    }

    @Test
    void krumRefusesTooFewUpdatesForItsByzantineBound() {
        List<float[]> updates = List.of(new float[1], new float[1], new float[1], new float[1]);

        assertThatThrownBy(() -> Rounds.run(Krum.krum(1), new float[1], updates, 1, 1, 1, 1))
                .isInstanceOf(CannotAggregate.TooFewUpdates.class)
                .hasMessage("krum with byzantine=1 needs more than 4 updates, got 4");
    }

    @Test
    void aRoundWithoutUpdatesIsRefused() {
        assertThatThrownBy(() -> Rounds.round(new float[1], List.of(), new long[0]))
                .isInstanceOf(CannotAggregate.TooFewUpdates.class)
                .hasMessage("a round needs at least one update to aggregate");
    }

    @Test
    void exampleCountsSummingPastLongMaxAreRefusedNotWrappedIntoANegatedModel() {
        // Issue 14: 9223372036854775807 + 100 wrapped to a negative total, and FedAvg returned −(attacker's update)
        List<float[]> updates = List.of(new float[] {-1}, new float[] {1});

        for (Strategy strategy : List.of(new FedAvg(), new FedAvgM(1, 0.9), new FedAdam(0.1, 0.9, 0.99, 1e-3))) {
            assertThatThrownBy(() -> Rounds.run(strategy, new float[1], updates, Long.MAX_VALUE, 100))
                    .as(strategy.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sum past 9223372036854775807")
                    .hasMessageContaining("claims 100");
        }
    }

    @Test
    void theLargestCountThatStillSumsIsWeighedExactly() throws IOException {
        // (Long.MAX_VALUE − 1)·4 + 1·0, over Long.MAX_VALUE: 4 to float precision
        float[] model = Rounds.run(new FedAvg(), new float[1], List.of(new float[] {4}, new float[] {0}),
                Long.MAX_VALUE - 1, 1).model();

        assertThat(model).containsExactly(4f);
    }
}
