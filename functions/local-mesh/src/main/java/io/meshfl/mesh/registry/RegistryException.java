package io.meshfl.mesh.registry;

/** The registry answered a call with an error; the message carries its problem+json title and detail. */
public class RegistryException extends RuntimeException {

    private final int status;

    public RegistryException(String call, int status, String body) {
        super(call + " → HTTP " + status + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
