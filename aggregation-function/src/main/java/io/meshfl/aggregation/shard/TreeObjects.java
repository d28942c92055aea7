package io.meshfl.aggregation.shard;

import io.meshfl.aggregation.round.RoundAggregation;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.shard.ShardNodes;
import io.meshfl.core.shard.ShardNodes.Node;
import io.meshfl.core.streaming.StoredHeader;
import io.meshfl.registry.api.Completion;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The objects of a round's tree that both its start and its node events read and write: the key layout
 * ({@code plan.json}, {@code tasks/{node}}), whether outputs exist, the task objects that trigger nodes, and the
 * completion a published stitch output stands for.
 */
@ApplicationScoped
class TreeObjects {

    /** {@code models/{m}/tmp/{version}-tree-{plan}/{rest}}: {@link ObjectKeys#aggregationTree}. */
    static final Pattern TREE_KEY = Pattern.compile("^(models/[^/]+/tmp/\\d+-tree-[0-9a-f]+/)(.+)$");
    static final String PLAN = "plan.json";
    static final String TASKS = "tasks/";

    private final ObjectStore store;

    TreeObjects(ObjectStore store) {
        this.store = store;
    }

    /** The completion to report if the stitch's model is in place and was aggregated from this round's updates. */
    Optional<Completion> completion(TreeRound tree, ShardNodes nodes) throws IOException {
        if (store.head(tree.outputKey()).isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> metadata = StoredHeader.read(store, tree.outputKey()).checked().header().metadata();
        if (!String.join(",", tree.domains()).equals(metadata.get(RoundAggregation.AGGREGATED_FROM))
                || !Integer.toString(tree.number() + 1).equals(metadata.get(RoundAggregation.ROUND))) {
            return Optional.empty();
        }
        boolean stateful = nodes.stitch().outputs().contains(tree.stateOutputKey())
                && store.head(tree.stateOutputKey()).isPresent();
        return Optional.of(new Completion(tree.outputKey(), metadata.get(RoundAggregation.SHA256), tree.domains(),
                stateful ? tree.stateOutputKey() : null));
    }

    boolean exist(List<String> keys) {
        return keys.stream().allMatch(k -> store.head(k).isPresent());
    }

    /**
     * A fresh task object for {@code node}: its created event runs the node. Unconditional and with unique content, so
     * a re-trigger after a crash is a new object version with a new event (a task is a trigger, never a result).
     */
    Void trigger(String prefix, Node node) {
        String task = "{\"node\":\"" + node.name() + "\",\"trigger\":\"" + UUID.randomUUID() + "\"}";
        store.put(prefix + TASKS + node.name(), task.getBytes(StandardCharsets.UTF_8), Map.of());
        return null;
    }
}
