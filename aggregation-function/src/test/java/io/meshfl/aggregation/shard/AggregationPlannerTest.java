package io.meshfl.aggregation.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The plan from a round's size and the per-invocation limit: numbers a reader can check with a pencil. */
class AggregationPlannerTest {

    private static final long GIB = 1L << 30;

    @Test
    void aRoundThatFitsOneInvocationIsNotSharded() {
        // 10 updates × 4 MB = 40 MB ≤ 10 GiB.
        assertThat(AggregationPlanner.plan(10, 4_000_000, 1_000_000, 10 * GIB, 10)).isEmpty();
    }

    @Test
    void tenThousandBillionParameterUpdatesGetTheFewestShardsThatKeepEveryNodeUnderTheLimit() {
        // U = 4 GB (F32), P = 1e9: a node above the leaves reads G partials of 8 bytes per value, 100 × 8 GB / S.
        var cut = AggregationPlanner.plan(10_000, 4_000_000_000L, 1_000_000_000L, 10 * GIB, 100).orElseThrow();

        assertThat(cut.fanout()).isEqualTo(100);
        assertThat(cut.shards()).isEqualTo(75); // ⌈800 GB / 10.74 GB⌉
        assertThat(100 * 8_000_000_000.0 / cut.shards()).isLessThanOrEqualTo(10 * GIB);
        assertThat(100 * 8_000_000_000.0 / (cut.shards() - 1)).isGreaterThan(10 * GIB);
    }

    @Test
    void aRoundOfFewerUpdatesThanTheFanInSizesItsNodesByTheUpdatesItHas() {
        // The event test's round: 5 updates of 8 F32 values (32 B) over a 64 B limit with fan-in 2 → 2 × 64 B / 64 B.
        assertThat(AggregationPlanner.plan(5, 32, 8, 64, 2).orElseThrow().shards()).isEqualTo(2);
        // 3 updates, fan-in 10: a node reads at most 3 inputs, 3 × 64 B / 64 B.
        assertThat(AggregationPlanner.plan(3, 32, 8, 64, 10).orElseThrow().shards()).isEqualTo(3);
    }

    @Test
    void aPrivateRoundsLeavesReadTheGlobalModelsRangeToo() {
        // 5 updates of 4 F64 values (32 B), fan-in 2, 64 B: a leaf reads 2 updates' ranges (64 B, one shard); under DP
        // also the global model's (96 B: two shards). Upper nodes read 2 partials of 8 B per value either way.
        assertThat(AggregationPlanner.plan(5, 32, 4, 64, 2).orElseThrow().shards()).isEqualTo(1);
        assertThat(AggregationPlanner.plan(5, 32, 4, 64, 2, true).orElseThrow().shards()).isEqualTo(2);
    }

    @Test
    void aShardHoldsAtLeastOneValue() {
        assertThat(AggregationPlanner.plan(1000, 32, 8, 1, 10).orElseThrow().shards()).isEqualTo(8);
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AggregationPlanner.plan(5, 32, 8, 0, 10))
                .hasMessageContaining("meshfl.aggregation.sharding.max-bytes-per-invocation");
        assertThatThrownBy(() -> AggregationPlanner.plan(5, 32, 8, 64, 1))
                .hasMessageContaining("meshfl.aggregation.sharding.fanout");
    }
}
