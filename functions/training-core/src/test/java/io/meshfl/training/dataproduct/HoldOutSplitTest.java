package io.meshfl.training.dataproduct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HoldOutSplitTest {

    /** Row r has feature r and label r, so a split's rows can be told apart. */
    private static TabularData numbered(int rows) {
        float[] values = new float[rows];
        for (int r = 0; r < rows; r++) {
            values[r] = r;
        }
        return new TabularData(List.of("id"), values.clone(), values);
    }

    @Property(tries = 200)
    void partitionsEveryRowIntoExactlyOneSide(@ForAll @IntRange(min = 2, max = 500) int rows,
            @ForAll long round) {
        HoldOutSplit split = HoldOutSplit.of(numbered(rows), 0.2, round);

        Set<Float> seen = new HashSet<>();
        for (float label : split.train().labels()) {
            seen.add(label);
        }
        for (float label : split.holdOut().labels()) {
            assertThat(seen.add(label)).as("row %s on both sides", label).isTrue();
        }
        assertThat(seen).hasSize(rows);
        assertThat(split.holdOut().rows()).isBetween(1, rows - 1);
        assertThat(split.train().features()).containsExactly(split.train().labels());
    }

    @Test
    void sameRoundGivesTheSameSplitAndAnotherRoundAnother() {
        TabularData data = numbered(1000);

        HoldOutSplit first = HoldOutSplit.of(data, 0.2, 3);
        HoldOutSplit again = HoldOutSplit.of(data, 0.2, 3);
        HoldOutSplit nextRound = HoldOutSplit.of(data, 0.2, 4);

        assertThat(again.holdOut().labels()).containsExactly(first.holdOut().labels());
        assertThat(first.holdOut().rows()).isEqualTo(200);
        assertThat(nextRound.holdOut().labels()).isNotEqualTo(first.holdOut().labels());
    }

    @Test
    void refusesASingleRow() {
        assertThatThrownBy(() -> HoldOutSplit.of(numbered(1), 0.2, 1))
                .isInstanceOf(DataProductException.class)
                .hasMessageContaining("has 1 row");
    }

    @Test
    void rowsOfAnyIdsAreSplitTwentyPercentToTheHoldOutAndNoneLost() {
        int[] rows = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31};

        HoldOutSplit.Rows split = HoldOutSplit.Rows.of(rows, 0.2, new Random(4));

        assertThat(split.holdOut()).hasSize(2).isSorted();
        assertThat(split.train()).hasSize(8).isSorted();
        int[] together = IntStream.concat(Arrays.stream(split.holdOut()), Arrays.stream(split.train())).sorted()
                .toArray();
        assertThat(together).isEqualTo(rows);
    }

    @Test
    void rowsAreSplitByTheSeedOfTheGeneratorGiven() {
        int[] rows = IntStream.range(0, 100).toArray();

        assertThat(HoldOutSplit.Rows.of(rows, 0.2, new Random(1)).holdOut())
                .isEqualTo(HoldOutSplit.Rows.of(rows, 0.2, new Random(1)).holdOut())
                .isNotEqualTo(HoldOutSplit.Rows.of(rows, 0.2, new Random(2)).holdOut());
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> HoldOutSplit.Rows.of(new int[] {1, 2}, 1.0, new Random(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hold-out fraction");
    }
}
