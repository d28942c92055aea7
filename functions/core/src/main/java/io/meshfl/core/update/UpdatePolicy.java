package io.meshfl.core.update;

import io.meshfl.core.safetensors.SafetensorsReader;

/**
 * The per-model limits an update must respect. {@code maxUpdateNorm} bounds the L2 norm of (update − global);
 * positive infinity means no bound. {@code maxHeaderBytes} bounds the JSON header read before anything else.
 */
public record UpdatePolicy(double maxUpdateNorm, long maxHeaderBytes) {

    public UpdatePolicy {
        if (!(maxUpdateNorm > 0)) {
            throw new IllegalArgumentException("maxUpdateNorm must be positive, was " + maxUpdateNorm);
        }
        if (maxHeaderBytes < 2) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 2, was " + maxHeaderBytes);
        }
    }

    public static UpdatePolicy withMaxNorm(double maxUpdateNorm) {
        return new UpdatePolicy(maxUpdateNorm, SafetensorsReader.DEFAULT_MAX_HEADER_BYTES);
    }

    public static UpdatePolicy unbounded() {
        return withMaxNorm(Double.POSITIVE_INFINITY);
    }
}
