package io.meshfl.core.shard;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.PartialSum.UpdateRef;
import io.meshfl.core.shard.ShardPlan.Piece;
import io.meshfl.core.shard.ShardPlan.Shard;
import io.meshfl.core.strategy.AggregationOutcome;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.FlatModelWriter;
import io.meshfl.core.strategy.FlatSink;
import io.meshfl.core.strategy.FlatWeights;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.streaming.StoredHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes that write a shard's slice of the next global model by running the real strategy on slices: the root of a
 * shard's tree (its round is the one-update round of the tree's mean) and a coordinate-wise strategy's shard node
 * (its round is the shard's range of every update). The slice is a safetensors file whose tensors are the shard's
 * pieces, so its data section is exactly bytes [begin, end) of the next model's.
 */
final class ShardRound {

    private ShardRound() {
    }

    /** The root's strategy step on a shard: the global model's slice, the tree's mean, the state's slice. */
    interface Step {
        AggregationOutcome run(FlatWeights global, FlatWeights mean, ServerState state, FlatSink out) throws IOException;
    }

    /**
     * The root: checks that the children counted every update once, then runs {@code step} on their mean (the
     * strategy on a one-update round of it; DP adds its noise first).
     */
    static void root(ObjectStore store, ShardPlan plan, Shard shard, boolean readsGlobalModel, Step step,
            List<String> children, long roundExamples, int roundUpdates, String globalKey, String stateKey, int lanes,
            List<Path> files) throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            long examples = 0;
            int updates = 0;
            for (String key : children) {
                StoredHeader header = StoredHeader.read(store, key);
                Map<String, String> metadata = header.checked().header().metadata();
                examples += Long.parseLong(metadata.get(PartialSum.EXAMPLES));
                updates += Integer.parseInt(metadata.get(PartialSum.UPDATES));
                slices.add(StoredSlice.open(store, header, null, PartialSum.pieces(shard), lanes, true));
            }
            if (examples != roundExamples || updates != roundUpdates) {
                throw new IllegalStateException("shard " + shard.index() + ": the partial sums count " + updates
                        + " updates and " + examples + " examples, the round " + roundUpdates + " and " + roundExamples);
            }
            PartialMean mean = new PartialMean(slices);
            FlatWeights global = mean; // FedAvg never reads the global model; the others get theirs below
            if (readsGlobalModel) {
                StoredSlice globalSlice = StoredSlice.open(store, StoredHeader.read(store, globalKey), null,
                        shard.pieces(), lanes, plan.holdsDoubles());
                slices.add(globalSlice);
                global = globalSlice;
            }
            ServerState state = ShardState.read(store, stateKey, shard, lanes);
            FlatWeights stepGlobal = global;
            write(out -> step.run(stepGlobal, mean, state, out), shard,
                    PartialSum.maximum(slices.subList(0, children.size())), files);
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /** A coordinate-wise strategy's shard: reads the shard's range of every update and aggregates it. */
    static void direct(ObjectStore store, ShardPlan plan, Shard shard, Strategy strategy, List<UpdateRef> updates,
            int lanes, List<Path> files) throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            List<ClientUpdate> clients = new ArrayList<>();
            for (UpdateRef update : updates) {
                StoredSlice slice = StoredSlice.open(store, StoredHeader.read(store, update.key()), update.etag(),
                        shard.pieces(), lanes, plan.holdsDoubles());
                slices.add(slice);
                clients.add(new ClientUpdate(update.id(), update.examples(), slice));
            }
            // Coordinate-wise strategies never read the global model: any weights of the right size stand in for it.
            RoundInput round = new RoundInput(slices.get(0), clients);
            write(out -> strategy.aggregate(round, ServerState.empty(), out), shard, PartialSum.maximum(slices), files);
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /**
     * Krum's mean over a shard: FedAvg over the kept updates' range (in the selection's order, as Krum passes them to
     * FedAvg), with the integer maxima the shard's distances node took over every update.
     */
    static void selectedMean(ObjectStore store, ShardPlan plan, Shard shard, List<UpdateRef> kept, long[] maxima,
            int lanes, List<Path> files) throws IOException {
        List<StoredSlice> slices = new ArrayList<>();
        try {
            List<ClientUpdate> clients = new ArrayList<>();
            for (UpdateRef update : kept) {
                StoredSlice slice = StoredSlice.open(store, StoredHeader.read(store, update.key()), update.etag(),
                        shard.pieces(), lanes, plan.holdsDoubles());
                slices.add(slice);
                clients.add(new ClientUpdate(update.id(), update.examples(), slice));
            }
            RoundInput round = new RoundInput(slices.get(0), clients);
            write(out -> new io.meshfl.core.strategy.FedAvg().aggregate(round, ServerState.empty(), out), shard, maxima,
                    files);
        } finally {
            slices.forEach(StoredSlice::close);
        }
    }

    /** Runs a strategy into a sink. */
    private interface Aggregate {
        AggregationOutcome into(FlatSink out) throws IOException;
    }

    private static void write(Aggregate aggregate, Shard shard, long[] maxima, List<Path> files) throws IOException {
        List<TensorSpec> layout = shard.pieces().stream().map(Piece::asTensor).toList();
        AggregationOutcome outcome;
        try (SafetensorsWriter writer = SafetensorsWriter.create(files.get(0), layout,
                Map.of("shard", Integer.toString(shard.index())))) {
            outcome = aggregate.into(new FlatModelWriter(writer));
            int at = 0;
            for (Piece piece : shard.pieces()) {
                if (!piece.floating()) {
                    long[] values = new long[(int) piece.count()];
                    System.arraycopy(maxima, at, values, 0, values.length);
                    writer.writeLongs(piece.name(), values);
                    at += values.length;
                }
            }
            writer.finish();
        }
        if (files.size() > 1) {
            Map<String, String> values = new LinkedHashMap<>(outcome.state().values());
            ServerStateFile.write(files.get(1), new ServerState(values, outcome.state().vectors()));
        }
    }
}
