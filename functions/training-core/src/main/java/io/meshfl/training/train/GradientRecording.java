package io.meshfl.training.train;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The right to record gradients in this process. DJL's PyTorch engine keeps one process-wide gradient collector
 * ("only one can be collecting at a time"), so two trainings at once in one function instance — concurrent HTTP
 * requests, a Knative pod given more than one request, a vertical step beside a horizontal one — would fail each
 * other. Whoever records gradients holds this for as long as it does; the others queue, in arrival order.
 *
 * <pre>{@code try (GradientRecording recording = GradientRecording.begin(); GradientCollector c = ...) { ... }}</pre>
 */
public final class GradientRecording implements AutoCloseable {

    private static final ReentrantLock RECORDING = new ReentrantLock(true);

    private boolean open = true;

    private GradientRecording() {
    }

    /** Waits until no other thread of this process records gradients. */
    public static GradientRecording begin() {
        RECORDING.lock();
        return new GradientRecording();
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            RECORDING.unlock();
        }
    }
}
