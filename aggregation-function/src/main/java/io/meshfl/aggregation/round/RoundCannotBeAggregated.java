package io.meshfl.aggregation.round;

/**
 * The accepted updates cannot make a new global model, and no retry will change that (an accepted update was
 * replaced or deleted after its acceptance, or the model names a strategy this function does not have). The
 * round is failed in the registry with this message.
 */
public class RoundCannotBeAggregated extends RuntimeException {

    public RoundCannotBeAggregated(String message) {
        super(message);
    }
}
