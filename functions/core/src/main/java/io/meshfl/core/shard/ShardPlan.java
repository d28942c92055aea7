package io.meshfl.core.shard;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's data section cut into shards by byte range: a computation on the header alone. The layout is the one the
 * aggregator writes (the manifest's tensors, contiguous, in manifest order), so shard {@code s} of the next global
 * model is bytes {@code [begin, end)} of its data section and stitching is concatenation. A tensor may span shards;
 * every boundary falls on an element boundary of the tensor it cuts.
 *
 * @param layout the output's tensors with their data offsets
 * @param shards the shards in data order, none empty, together covering the whole data section
 * @param holdsDoubles whether the model has an F64 tensor: the FedAvg family then folds every value in double, one
 *     update at a time, and every shard must do the same to give the single aggregator's bits
 */
public record ShardPlan(List<TensorInfo> layout, List<Shard> shards, boolean holdsDoubles) {

    /** The part of one tensor that lies in a shard: elements {@code [fromElement, fromElement + count)}. */
    public record Piece(TensorSpec tensor, long fromElement, long count) {

        public String name() {
            return tensor.name();
        }

        public boolean floating() {
            return tensor.dtype().isFloatingPoint();
        }

        /** The piece as a tensor of its own (shape [count]): how a shard's output names it. */
        public TensorSpec asTensor() {
            return TensorSpec.of(tensor.name(), tensor.dtype(), count);
        }
    }

    /**
     * One shard: bytes {@code [begin, end)} of the data section, its pieces in data order, and {@code flatFrom}, the
     * index of its first floating-point value in the model's flat vector (where its server-state slice starts).
     */
    public record Shard(int index, long begin, long end, long flatFrom, List<Piece> pieces) {

        public Shard {
            pieces = List.copyOf(pieces);
        }

        /** Floating-point values in the shard: its length in the flat vector strategies see. */
        public long floatCount() {
            return pieces.stream().filter(Piece::floating).mapToLong(Piece::count).sum();
        }

        public long bytes() {
            return end - begin;
        }
    }

    public ShardPlan {
        layout = List.copyOf(layout);
        shards = List.copyOf(shards);
    }

    /**
     * Cuts {@code manifest}'s data section into at most {@code shards} shards of nearly equal byte size (each at most
     * one element wider than its share). Fewer come back when the model has fewer elements than shards.
     */
    public static ShardPlan cut(ModelManifest manifest, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("a plan needs at least one shard, asked for " + shards);
        }
        List<TensorInfo> layout = layout(manifest);
        long length = layout.isEmpty() ? 0 : layout.get(layout.size() - 1).end();
        if (length == 0) {
            throw new IllegalArgumentException("the model has no data to shard");
        }
        List<Long> bounds = new ArrayList<>();
        bounds.add(0L);
        for (int i = 1; i < shards; i++) {
            long bound = elementBoundaryAtOrBelow(layout, java.math.BigInteger.valueOf(length)
                    .multiply(java.math.BigInteger.valueOf(i)).divide(java.math.BigInteger.valueOf(shards)).longValueExact());
            if (bound > bounds.get(bounds.size() - 1)) {
                bounds.add(bound);
            }
        }
        bounds.add(length);
        List<Shard> cut = new ArrayList<>();
        long flat = 0;
        for (int s = 0; s + 1 < bounds.size(); s++) {
            Shard shard = shard(layout, s, bounds.get(s), bounds.get(s + 1), flat);
            flat += shard.floatCount();
            cut.add(shard);
        }
        boolean doubles = manifest.tensors().stream().anyMatch(t -> t.dtype() == Dtype.F64);
        return new ShardPlan(layout, cut, doubles);
    }

    /** Length of the data section. */
    public long dataLength() {
        return layout.isEmpty() ? 0 : layout.get(layout.size() - 1).end();
    }

    /** The output's tensors in data order. */
    public List<TensorSpec> tensors() {
        return layout.stream().map(TensorInfo::spec).toList();
    }

    /** Contiguous offsets in manifest order: what {@code SafetensorsWriter.create} lays out for these tensors. */
    static List<TensorInfo> layout(ModelManifest manifest) {
        List<TensorInfo> layout = new ArrayList<>();
        long offset = 0;
        for (TensorSpec spec : manifest.tensors()) {
            long end = Math.addExact(offset, spec.byteSize());
            layout.add(new TensorInfo(spec, offset, end));
            offset = end;
        }
        return layout;
    }

    private static long elementBoundaryAtOrBelow(List<TensorInfo> layout, long position) {
        for (TensorInfo tensor : layout) {
            if (tensor.begin() <= position && position < tensor.end()) {
                int size = tensor.dtype().byteSize();
                return tensor.begin() + (position - tensor.begin()) / size * size;
            }
        }
        return position;
    }

    private static Shard shard(List<TensorInfo> layout, int index, long begin, long end, long flatFrom) {
        List<Piece> pieces = new ArrayList<>();
        for (TensorInfo tensor : layout) {
            long from = Math.max(begin, tensor.begin());
            long to = Math.min(end, tensor.end());
            if (from < to) {
                int size = tensor.dtype().byteSize();
                pieces.add(new Piece(tensor.spec(), (from - tensor.begin()) / size, (to - from) / size));
            }
        }
        return new Shard(index, begin, end, flatFrom, pieces);
    }
}
