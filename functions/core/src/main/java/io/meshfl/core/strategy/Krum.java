package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.KrumScores;
import io.meshfl.core.strategy.kernel.PairwiseDistances;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Krum and Multi-Krum (Blanchard et al. 2017). With at most f Byzantine updates among K > 2f + 2, score each
 * update by the summed squared distances to its K − f − 2 nearest neighbours; Krum returns the best-scored
 * update, Multi-Krum the example-weighted mean of the {@code keep} best (ties broken by update id, so the
 * result does not depend on input order). Two passes: pairwise distances (K² per block), then the mean.
 */
public final class Krum implements Strategy {

    public static final String NAME = "krum";
    public static final String MULTI_NAME = "multi-krum";

    private final boolean multi;
    private final int byzantine;
    private final int keep;

    /** Krum: keeps the single best update. */
    public static Krum krum(int byzantine) {
        return new Krum(false, byzantine, 1);
    }

    /** Multi-Krum: averages the {@code keep} best updates; {@code keep = 0} means K − f. */
    public static Krum multiKrum(int byzantine, int keep) {
        return new Krum(true, byzantine, keep);
    }

    private Krum(boolean multi, int byzantine, int keep) {
        if (byzantine < 0 || keep < 0) {
            throw new IllegalArgumentException("byzantine and keep must be non-negative, were " + byzantine + ", " + keep);
        }
        this.multi = multi;
        this.byzantine = byzantine;
        this.keep = keep;
    }

    @Override
    public String name() {
        return multi ? MULTI_NAME : NAME;
    }

    @Override
    public AggregationOutcome aggregate(RoundInput round, ServerState state, FlatSink out) throws IOException {
        List<ClientUpdate> updates = round.updates();
        int count = updates.size();
        checkCount(count);
        List<ClientUpdate> selected = select(distances(updates, round.parameterCount()),
                updates.stream().map(ClientUpdate::id).toList()).stream().map(updates::get).toList();
        new FedAvg().aggregate(new RoundInput(round.global(), selected), ServerState.empty(), out);
        return new AggregationOutcome(ServerState.empty(), Map.of("updates", Integer.toString(count),
                "selected", selected.stream().map(ClientUpdate::id).collect(Collectors.joining(","))));
    }

    /**
     * The updates this strategy keeps, as indices into {@code ids}, best-scored first (ties broken by id): what the
     * mean is taken over. Sharded aggregation calls it with the sum of its shards' partial distance matrices.
     *
     * @param squaredDistances the K × K pairwise squared distances
     * @throws CannotAggregate.TooFewUpdates when K is too small for the Byzantine bound or the number to keep
     */
    public List<Integer> select(double[][] squaredDistances, List<String> ids) {
        int count = ids.size();
        checkCount(count);
        int selectedCount = !multi ? 1 : keep == 0 ? count - byzantine : keep;
        double[] scores = KrumScores.scores(squaredDistances, count, byzantine);
        return IntStream.range(0, count).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparing(ids::get))
                .limit(selectedCount)
                .toList();
    }

    private void checkCount(int count) {
        if (count <= 2 * byzantine + 2) {
            throw new CannotAggregate.TooFewUpdates(name() + " with byzantine=" + byzantine + " needs more than "
                    + (2 * byzantine + 2) + " updates, got " + count);
        }
        int selectedCount = !multi ? 1 : keep == 0 ? count - byzantine : keep;
        if (selectedCount > count) {
            throw new CannotAggregate.TooFewUpdates(name() + " cannot keep " + selectedCount + " of " + count + " updates");
        }
    }

    /** Name and parameters: what a sharded aggregation's plan id hashes (the same settings, the same id). */
    @Override
    public String toString() {
        return name() + "(byzantine=" + byzantine + ", keep=" + keep + ")";
    }

    private static double[][] distances(List<ClientUpdate> updates, long size) throws IOException {
        int count = updates.size();
        double[][] sums = new double[count][count];
        float[][] rows = new float[count][Blocks.SIZE];
        for (long from = 0; from < size; from += Blocks.SIZE) {
            int length = Blocks.length(from, size);
            for (int k = 0; k < count; k++) {
                updates.get(k).weights().read(from, rows[k], 0, length);
            }
            PairwiseDistances.accumulate(sums, rows, count, length);
        }
        return sums;
    }
}
