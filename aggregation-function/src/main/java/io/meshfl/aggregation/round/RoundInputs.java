package io.meshfl.aggregation.round;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.strategy.IntegerTensors;
import java.io.IOException;
import java.util.List;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.registry.api.UpdateView;

/**
 * What one aggregation reads: the global model's layout and the round's input for the strategy, either from
 * downloaded copies ({@link DownloadedInputs}) or streamed from the object store ({@link StreamedInputs}).
 */
interface RoundInputs extends AutoCloseable {

    ModelManifest manifest();

    RoundInput input();

    /**
     * Throws {@link RoundCannotBeAggregated} unless every update read was the one the registry accepted (its data
     * SHA-256). Called after the strategy ran and before anything is published: streamed updates are only hashed
     * to the end once they have been read.
     */
    void verifyUnchanged(PhaseTimes times);

    /**
     * Writes the model's integer tensors (I64 counters such as {@code num_batches_tracked}), which strategies do not
     * see, by core's one rule: the element-wise maximum over the updates ({@link IntegerTensors}).
     */
    void writeIntegerTensors(SafetensorsWriter writer) throws IOException;

    @Override
    void close();

    /** {@link #writeIntegerTensors} from the updates' downloaded files, one reader per update. */
    static void writeIntegerTensors(ModelManifest manifest, List<SafetensorsReader> updates, int expected,
            SafetensorsWriter writer) throws IOException {
        if (IntegerTensors.of(manifest).isEmpty()) {
            return;
        }
        if (updates.size() != expected) {
            // An update holding integer tensors never follows a float manifest's streaming order: it is downloaded.
            throw new IllegalStateException("integer tensors need every update downloaded; " + updates.size()
                    + " of " + expected + " were");
        }
        IntegerTensors.writeMaximum(manifest, updates, writer);
    }

    /** The registry holds what was validated; an object replaced since then is not that update. */
    static void requireAccepted(UpdateView update, String sha256) {
        if (!sha256.equals(update.sha256())) {
            throw new RoundCannotBeAggregated("update '" + update.objectKey() + "' of domain '" + update.domain()
                    + "' changed after it was accepted: its data SHA-256 is " + sha256 + ", accepted "
                    + update.sha256());
        }
    }
}
