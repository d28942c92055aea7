package io.meshfl.mesh.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HoldOutSplitTest {

    @Test
    void twentyPercentOfTenRowsIsTwoHeldOutRowsAndTheRestPublished() {
        int[] rows = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31};

        HoldOutSplit split = HoldOutSplit.of(rows, 0.2, 4);

        assertThat(split.holdOut()).hasSize(2);
        assertThat(split.training()).hasSize(8);
        int[] together = IntStream.concat(Arrays.stream(split.holdOut()), Arrays.stream(split.training())).sorted().toArray();
        assertThat(together).isEqualTo(rows);
    }

    @Test
    void theSplitIsSeeded() {
        int[] rows = IntStream.range(0, 100).toArray();

        assertThat(HoldOutSplit.of(rows, 0.2, 1).holdOut()).isEqualTo(HoldOutSplit.of(rows, 0.2, 1).holdOut());
        assertThat(HoldOutSplit.of(rows, 0.2, 1).holdOut()).isNotEqualTo(HoldOutSplit.of(rows, 0.2, 2).holdOut());
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> HoldOutSplit.of(new int[] {1, 2}, 1.0, 1)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("hold-out fraction");
    }
}
