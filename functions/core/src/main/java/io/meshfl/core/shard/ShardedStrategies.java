package io.meshfl.core.shard;

import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.FedAdagrad;
import io.meshfl.core.strategy.FedAdam;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.FedAvgM;
import io.meshfl.core.strategy.FedMedian;
import io.meshfl.core.strategy.FedTrimmedAvg;
import io.meshfl.core.strategy.FedYogi;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.Strategy;

/**
 * Which strategy runs how past one function. A strategy runs sharded only where the result is the single
 * aggregator's:
 * <ul>
 *   <li>{@link Kind#TREE}: FedAvg and the server optimisers (FedAvgM, FedAdam, FedYogi, FedAdagrad). They depend on the
 *       updates only through the weighted mean, which a tree of partial sums computes (in double; a different
 *       association of the same sum), and their server step is coordinate-wise, so the root of each shard applies it to
 *       its slice of the mean, the global model and the state.</li>
 *   <li>{@link Kind#DIRECT}: median and trimmed mean. Coordinate-wise: each shard reads its range of all K updates and
 *       runs the strategy itself, bit for bit the single aggregator's result; no tree (an order statistic has no
 *       partial sum).</li>
 *   <li>{@link Kind#KRUM}: Krum and Multi-Krum. A squared distance is a sum over coordinates, so each shard computes
 *       the K × K partial distances over its range; one node sums the shards' matrices and selects (the strategy's
 *       own {@code select}), then each shard takes FedAvg's mean of the selected updates over its range. The result
 *       is the single aggregator's bit for bit whenever the selection is the same; the summed distances associate
 *       differently (by shard), so an exact tie between two updates' scores could be broken differently.</li>
 *   <li>{@link Kind#CLIPPED_TREE}: differential privacy around any of the tree's strategies (DP-FedAvg, DP-FedAdam, …).
 *       Clipping needs each update's whole-model distance to the global model before any leaf folds it: per shard and
 *       leaf group a {@code norm} node writes the group's partial squared distances as exact sums, one {@code clip}
 *       node per group adds the shards' sums and decides the clipping factors, the leaves fold the clipped updates
 *       (weight 1/K each), and each shard's root adds the round's noise once to its range of the mean (value i gets
 *       the noise of (seed, i), the seed drawn once at the close) before the inner strategy's step; the privacy
 *       accountant's state is written once, by the stitch.</li>
 *   <li>Refused: any other strategy (a {@code Strategy} this class does not know cannot be proved exact).</li>
 * </ul>
 */
public final class ShardedStrategies {

    public enum Kind { TREE, DIRECT, KRUM, CLIPPED_TREE }

    private ShardedStrategies() {
    }

    /**
     * @throws InvalidStrategyException for a strategy that cannot be sharded exactly (names it and says why)
     */
    public static Kind kind(Strategy strategy) {
        if (strategy instanceof DifferentialPrivacy dp) {
            kind(dp.inner()); // a mean-based strategy: the wrapper refuses any other
            return Kind.CLIPPED_TREE;
        }
        if (strategy instanceof FedAvg || strategy instanceof FedAvgM || strategy instanceof FedAdam
                || strategy instanceof FedYogi || strategy instanceof FedAdagrad) {
            return Kind.TREE;
        }
        if (strategy instanceof FedMedian || strategy instanceof FedTrimmedAvg) {
            return Kind.DIRECT;
        }
        if (strategy instanceof io.meshfl.core.strategy.Krum) {
            return Kind.KRUM;
        }
        throw new InvalidStrategyException("strategy.name", "strategy '" + strategy.name() + "' cannot be aggregated "
                + "in shards: sharded aggregation runs fedavg, fedavgm, fedadam, fedyogi, fedadagrad (tree of partial "
                + "sums), median and trimmed-mean (shard-parallel), krum and multi-krum (per-shard partial distances), "
                + "and differential privacy around the tree's strategies (norm pass, clipped leaves, noise at the roots)");
    }
}
