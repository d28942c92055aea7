package io.meshfl.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.shard.ShardPlan.Piece;
import io.meshfl.core.shard.ShardPlan.Shard;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A shard plan covers the data section exactly, cuts only on element boundaries, and balances bytes. */
class ShardPlanProperties {

    private static final Dtype[] DTYPES = Dtype.values();

    @Property(tries = 300)
    void shardsTileTheDataSectionOnElementBoundaries(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int shards) {
        ModelManifest manifest = randomManifest(new SplittableRandom(seed));
        ShardPlan plan = ShardPlan.cut(manifest, shards);
        long length = plan.dataLength();

        assertThat(plan.shards()).hasSizeBetween(1, shards);
        long expectedBegin = 0;
        long flat = 0;
        for (Shard shard : plan.shards()) {
            assertThat(shard.begin()).isEqualTo(expectedBegin);
            assertThat(shard.end()).isGreaterThan(shard.begin());
            // Each cut is at most one element (8 bytes) below its share, so no shard exceeds its share by more.
            assertThat(shard.bytes()).isLessThan(length / shards + 1 + 8);
            assertThat(shard.flatFrom()).isEqualTo(flat);
            long bytes = 0;
            for (Piece piece : shard.pieces()) {
                TensorInfo tensor = plan.layout().stream().filter(t -> t.name().equals(piece.name())).findFirst()
                        .orElseThrow();
                long start = tensor.begin() + piece.fromElement() * tensor.dtype().byteSize();
                assertThat(start).isEqualTo(shard.begin() + bytes);
                assertThat(piece.count()).isPositive();
                bytes += piece.count() * tensor.dtype().byteSize();
            }
            assertThat(bytes).isEqualTo(shard.bytes());
            expectedBegin = shard.end();
            flat += shard.floatCount();
        }
        assertThat(expectedBegin).isEqualTo(length);
        assertThat(flat).isEqualTo(manifest.tensors().stream().filter(t -> t.dtype().isFloatingPoint())
                .mapToLong(TensorSpec::elementCount).sum());
    }

    @Property(tries = 50)
    void aModelWithFewerElementsThanShardsGetsOneShardPerElementAtMost(@ForAll @IntRange(min = 1, max = 5) int elements) {
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("w", Dtype.F64, elements)));

        ShardPlan plan = ShardPlan.cut(manifest, 16);

        assertThat(plan.shards()).hasSize(elements);
        assertThat(plan.holdsDoubles()).isTrue();
    }

    static ModelManifest randomManifest(SplittableRandom random) {
        List<TensorSpec> tensors = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int t = 0; t < count; t++) {
            long size = random.nextInt(4) == 0 ? random.nextInt(3) : 1 + random.nextInt(5_000);
            tensors.add(TensorSpec.of("t" + t, DTYPES[random.nextInt(DTYPES.length)], size));
        }
        tensors.add(TensorSpec.of("last", Dtype.F32, 1 + random.nextInt(100)));
        return new ModelManifest(tensors);
    }
}
