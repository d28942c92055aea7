package io.meshfl.core.strategy;

import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.util.List;

/**
 * MeshFL's one rule for integer (I64) tensors, the same whatever the strategy: <b>they are not averaged; the next
 * global model takes, element by element, the maximum over the round's updates.</b>
 *
 * <p>Why the maximum: the integer tensors models carry are counters, above all PyTorch BatchNorm's
 * {@code num_batches_tracked} (batches seen; with {@code momentum=None} the running statistics are a cumulative
 * average weighted by it). A mean of counts is no count (and no integer); keeping the global model's value would
 * freeze the counter at its initial value for ever, as if the federation never trained. Every update starts from
 * the global model's count and adds its own batches, so the maximum is the longest training history any domain
 * reached: monotone from round to round, exact, independent of the updates' order, and one update's own value when
 * it is alone (one-input FedAvg is the identity). Flower's FedAvg, by contrast, averages every array, turning such a
 * counter into a float.
 *
 * <p>The update validator checks integer tensors for dtype and shape only (no value bound, no NaN to find), which
 * is all this rule needs: any I64 value has a maximum.
 */
public final class IntegerTensors {

    private IntegerTensors() {
    }

    /** The integer tensors of {@code manifest}: the part {@link FlatModelReader} leaves out. */
    public static List<TensorSpec> of(ModelManifest manifest) {
        return manifest.tensors().stream().filter(t -> !t.dtype().isFloatingPoint()).toList();
    }

    /** Writes each integer tensor of {@code manifest} as the element-wise maximum over {@code updates}. */
    public static void writeMaximum(ModelManifest manifest, List<SafetensorsReader> updates, SafetensorsWriter out)
            throws IOException {
        if (updates.isEmpty()) {
            throw new CannotAggregate.TooFewUpdates("a round needs at least one update to aggregate");
        }
        for (TensorSpec tensor : of(manifest)) {
            long[] maximum = updates.get(0).readLongs(tensor.name());
            for (SafetensorsReader update : updates.subList(1, updates.size())) {
                long[] values = update.readLongs(tensor.name());
                for (int i = 0; i < maximum.length; i++) {
                    maximum[i] = Math.max(maximum[i], values[i]);
                }
            }
            out.writeLongs(tensor.name(), maximum);
        }
    }
}
