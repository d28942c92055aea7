package io.meshfl.training.registry;

/** The registry answered with an error: its status and its problem detail, passed on to the caller. */
public class RegistryRefusal extends RuntimeException {

    private final int status;

    public RegistryRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
