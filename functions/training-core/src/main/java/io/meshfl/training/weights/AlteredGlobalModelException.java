package io.meshfl.training.weights;

/** A global model object whose data does not hash to the checksum the registry recorded for it. */
public final class AlteredGlobalModelException extends RuntimeException {

    public AlteredGlobalModelException(String message) {
        super(message);
    }
}
