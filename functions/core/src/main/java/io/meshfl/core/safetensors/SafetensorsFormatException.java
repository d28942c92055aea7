package io.meshfl.core.safetensors;

import java.io.IOException;

/**
 * A file is not valid safetensors, or not one MeshFL can read. The message names the field or tensor that was
 * wrong; bad bytes never surface as any other exception type.
 */
public class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
