package io.meshfl.core.shard;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one shard's tree of partial sums over K updates with fan-in G: level 0 has ⌈K/G⌉ leaves, each folding
 * G consecutive updates; level l + 1 folds G partials of level l, until one level has at most G nodes; the root folds
 * those and applies the strategy. Every shard has the same tree.
 *
 * @param widths nodes per level, leaves first (the root is not counted)
 */
public record TreePlan(int updates, int fanout, List<Integer> widths) {

    public TreePlan {
        widths = List.copyOf(widths);
    }

    public static TreePlan of(int updates, int fanout) {
        if (updates < 1) {
            throw new IllegalArgumentException("a tree needs at least one update");
        }
        if (fanout < 2) {
            throw new IllegalArgumentException("fan-in must be at least 2, was " + fanout);
        }
        List<Integer> widths = new ArrayList<>();
        int width = ceilDiv(updates, fanout);
        widths.add(width);
        while (width > fanout) {
            width = ceilDiv(width, fanout);
            widths.add(width);
        }
        return new TreePlan(updates, fanout, widths);
    }

    public int levels() {
        return widths.size();
    }

    /** The children of node {@code index} of {@code level}: update indices for leaves, node indices of level − 1 above. */
    public int[] children(int level, int index) {
        int count = level == 0 ? updates : widths.get(level - 1);
        int from = index * fanout;
        return new int[] {from, Math.min(count, from + fanout)};
    }

    /** Invocations per shard: every level's nodes and the root. */
    public int nodesPerShard() {
        return widths.stream().mapToInt(Integer::intValue).sum() + 1;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
