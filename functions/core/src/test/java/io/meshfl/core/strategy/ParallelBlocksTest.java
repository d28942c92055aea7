package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelBlocksTest {

    /** A lane's workspace: remembers the block it last computed. */
    static final class Slot {
        long from = -1;
        int length;
    }

    @Test
    void blocksAreEmittedInModelOrderOneAtATimeWhateverTheLaneCount() throws IOException {
        for (int threads : new int[] {1, 2, 3, 8}) {
            List<long[]> emitted = new ArrayList<>();
            AtomicBoolean emitting = new AtomicBoolean();

            ParallelBlocks.run(103, 10, threads, Slot::new, (slot, from, length) -> {
                slot.from = from;
                slot.length = length;
            }, (slot, from, length) -> {
                assertThat(emitting.getAndSet(true)).as("another emit in progress").isFalse();
                assertThat(slot.from).isEqualTo(from);
                emitted.add(new long[] {from, length});
                emitting.set(false);
            });

            assertThat(emitted).hasSize(11);
            for (int i = 0; i < emitted.size(); i++) {
                assertThat(emitted.get(i)).containsExactly(i * 10L, i < 10 ? 10 : 3);
            }
        }
    }

    @Test
    void noMoreWorkspacesThanBlocks() throws IOException {
        AtomicInteger created = new AtomicInteger();

        ParallelBlocks.run(15, 10, 8, () -> {
            created.incrementAndGet();
            return new Slot();
        }, (slot, from, length) -> { }, (slot, from, length) -> { });

        assertThat(created).hasValue(2);
    }

    @Test
    void aFailureInAnotherLaneReachesTheCallerAndNothingAfterItIsEmitted() {
        List<Long> emitted = new ArrayList<>();

        assertThatThrownBy(() -> ParallelBlocks.run(100, 10, 2, Slot::new, (slot, from, length) -> {
            if (from == 30) {
                throw new IOException("update file vanished at " + from);
            }
        }, (slot, from, length) -> emitted.add(from)))
                .isInstanceOf(IOException.class).hasMessage("update file vanished at 30");
        // Blocks before the failed one may have been emitted, in order; none after it.
        assertThat(List.of(0L, 10L, 20L)).startsWith(emitted.toArray(Long[]::new));
    }

    @Test
    void aFailureOnTheCallersLaneWaitsForTheOtherLanesFirst() {
        AtomicInteger finished = new AtomicInteger();

        assertThatThrownBy(() -> ParallelBlocks.run(20, 10, 2, Slot::new, (slot, from, length) -> {
            if (from == 0) {
                throw new IllegalStateException("bad block");
            }
            sleep(200);
            finished.incrementAndGet();
        }, (slot, from, length) -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(finished).hasValue(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
