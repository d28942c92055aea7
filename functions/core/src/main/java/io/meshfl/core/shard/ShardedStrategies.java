package io.meshfl.core.shard;

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
 *   <li>Refused: differential privacy (clipping needs each update's norm over every shard before any shard can fold
 *       it: a second pass, not built).</li>
 * </ul>
 */
public final class ShardedStrategies {

    public enum Kind { TREE, DIRECT, KRUM }

    private ShardedStrategies() {
    }

    /**
     * @throws InvalidStrategyException for a strategy that cannot be sharded exactly (names it and says why)
     */
    public static Kind kind(Strategy strategy) {
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
                + "sums), median and trimmed-mean (shard-parallel), krum and multi-krum (per-shard partial distances); "
                + "differential privacy needs whole-update norms before any shard folds, not built for shards yet");
    }
}
